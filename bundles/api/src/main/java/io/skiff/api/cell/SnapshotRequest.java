package io.skiff.api.cell;

/**
 * A snapshot operation on one instance of a cell.
 *
 * @param instanceId instance id
 * @param name snapshot name
 * @param description free text (create only), or {@code null}
 */
public record SnapshotRequest(String instanceId, String name, String description) {
}
