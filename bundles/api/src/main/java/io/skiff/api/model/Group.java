package io.skiff.api.model;

/**
 * A group of users; when {@code shareResources} is set its members see each other's resources.
 *
 * @param name unique name
 * @param description free text
 * @param shareResources whether members share visibility of instances, images and media
 */
public record Group(String name, String description, boolean shareResources) {
}
