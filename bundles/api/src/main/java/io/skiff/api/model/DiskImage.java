package io.skiff.api.model;

import java.time.Instant;
import java.util.List;

/**
 * A disk image in the Core's catalogue, from which system disks are cloned or copied.
 *
 * @param id unique id
 * @param name unique display name
 * @param owner owning user
 * @param group owning group
 * @param format image format, e.g. {@code qcow2}
 * @param sizeBytes file size
 * @param virtualSizeBytes virtual disk size (0 when unknown)
 * @param sha256 checksum of the file
 * @param tags search tags
 * @param createdAt creation time
 */
public record DiskImage(String id, String name, String owner, String group, String format, long sizeBytes,
                        long virtualSizeBytes, String sha256, List<String> tags, Instant createdAt) {
}
