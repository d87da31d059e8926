package io.skiff.api.cell;

import io.skiff.api.model.Snapshot;

/** The snapshots of a cell's instances. */
public interface CellSnapshots {

    /** The instance's snapshots, parents first. */
    @CellRequest(value = CellProtocol.SNAPSHOT_LIST, changes = false)
    SnapshotList list(InstanceAction action);

    /** Takes a snapshot (running or stopped). */
    @CellRequest(CellProtocol.SNAPSHOT_CREATE)
    Snapshot create(SnapshotRequest request);

    /** Returns the instance's disks (and memory) to a snapshot. */
    @CellRequest(CellProtocol.SNAPSHOT_REVERT)
    Ack revert(SnapshotRequest request);

    /** Deletes a snapshot; its children stay valid. */
    @CellRequest(CellProtocol.SNAPSHOT_DELETE)
    Ack delete(SnapshotRequest request);
}
