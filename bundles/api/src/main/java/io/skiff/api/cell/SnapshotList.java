package io.skiff.api.cell;

import io.skiff.api.model.Snapshot;

import java.util.List;

/**
 * A cell's answer to {@link CellProtocol#SNAPSHOT_LIST}.
 *
 * @param instanceId instance id
 * @param snapshots the instance's snapshots, parents before children
 */
public record SnapshotList(String instanceId, List<Snapshot> snapshots) {

    public SnapshotList {
        snapshots = snapshots == null ? List.of() : List.copyOf(snapshots);
    }
}
