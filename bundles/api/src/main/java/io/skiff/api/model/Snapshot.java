package io.skiff.api.model;

import java.time.Instant;

/**
 * A point-in-time state of an instance's disks; snapshots form a tree through {@code parentId}.
 *
 * @param id unique id
 * @param instanceId the instance it belongs to
 * @param name name, unique per instance
 * @param description free text
 * @param parentId the snapshot it was taken on top of, or {@code null}
 * @param createdAt creation time
 */
public record Snapshot(String id, String instanceId, String name, String description, String parentId,
                       Instant createdAt) {
}
