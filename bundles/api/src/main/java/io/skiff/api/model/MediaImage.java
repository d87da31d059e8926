package io.skiff.api.model;

import java.time.Instant;

/**
 * An ISO image that can be inserted into an instance's CD-ROM drive.
 *
 * @param id unique id
 * @param name display name
 * @param owner owning user
 * @param group owning group
 * @param sizeBytes file size
 * @param sha256 checksum of the file
 * @param createdAt upload time
 */
public record MediaImage(String id, String name, String owner, String group, long sizeBytes, String sha256,
                         Instant createdAt) {
}
