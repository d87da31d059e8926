package io.skiff.api.spi;

import io.skiff.api.model.Snapshot;

import java.util.List;

/**
 * Snapshots of an instance's disks, on a stopped or a running instance (a running one's memory is included, so a
 * revert resumes it where it was). Runs on the Cell; registered with {@code skiff.provider} (e.g. {@code qcow2}).
 * Deleting a snapshot keeps its children valid: they are re-parented onto its parent.
 */
public interface SnapshotProvider {

    /**
     * @throws io.skiff.api.service.SkiffException {@code CONFLICT} (field {@code name}) when the instance already has
     *     a snapshot of that name; {@code INVALID} when one of its disks cannot be snapshotted
     */
    Snapshot create(String instanceId, String name, String description);

    /** @return the instance's snapshots, parents before children */
    List<Snapshot> list(String instanceId);

    /**
     * Returns the instance's disks (and memory, for a snapshot of a running instance) to the snapshot.
     *
     * @throws io.skiff.api.service.SkiffException {@code NOT_FOUND} (field {@code snapshot}) when this instance has
     *     no such snapshot
     */
    void revert(String instanceId, String name);

    /** Deletes a snapshot; its children stay valid. */
    void delete(String instanceId, String name);
}
