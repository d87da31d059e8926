package io.skiff.api.model;

import java.time.Instant;

/**
 * A point-in-time state of an instance's disks (and, when taken while it ran, of its memory); snapshots form a tree
 * through {@code parentId}.
 *
 * @param id unique id within the instance (the snapshot's name)
 * @param instanceId the instance it belongs to
 * @param name name, unique per instance
 * @param description free text
 * @param parentId the snapshot it was taken on top of, or {@code null}
 * @param createdAt creation time
 * @param instanceState the instance's state when it was taken: {@code running} (memory included) or {@code stopped}
 * @param current whether the instance's disks are based on this snapshot now
 */
public record Snapshot(String id, String instanceId, String name, String description, String parentId,
                       Instant createdAt, String instanceState, boolean current) {
}
