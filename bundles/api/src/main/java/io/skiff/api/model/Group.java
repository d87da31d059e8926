package io.skiff.api.model;

/**
 * A group of users; when {@code shareResources} is set its members see each other's resources.
 *
 * @param name unique name
 * @param description free text
 * @param shareResources whether members share visibility of instances, images and media
 * @param quota limits on what all members hold together ({@link Quota#UNLIMITED} when none)
 * @param parent the enclosing group, or {@code null} (groups form a tree; loops are refused)
 */
public record Group(String name, String description, boolean shareResources, Quota quota, String parent) {

    public Group(String name, String description, boolean shareResources) {
        this(name, description, shareResources, Quota.UNLIMITED, null);
    }
}
