package io.skiff.api.service;

import io.skiff.api.model.Snapshot;
import io.skiff.api.model.TaskInfo;

import java.util.List;

/** Snapshots of instances (kept by the instance's cell, through its snapshot provider). */
@org.osgi.annotation.versioning.ProviderType
public interface SnapshotService {

    /**
     * The instance's snapshots, parents before children (asks its cell).
     *
     * @throws SkiffException {@code UNAVAILABLE} when the cell has no snapshot provider
     */
    List<Snapshot> snapshots(String idOrName, AuthenticatedUser caller);

    /**
     * Takes a snapshot of a stopped or running instance (with its memory when running).
     *
     * @throws SkiffException {@code CONFLICT} (field {@code name}) when the instance has a snapshot of that name
     */
    TaskInfo createSnapshot(String idOrName, String name, String description, AuthenticatedUser caller);

    /**
     * Returns the instance to a snapshot (its disks, and its memory when the snapshot was taken running).
     *
     * @throws SkiffException {@code NOT_FOUND} (field {@code snapshot}) when this instance has no such snapshot
     */
    TaskInfo revertSnapshot(String idOrName, String name, AuthenticatedUser caller);

    /**
     * Deletes a snapshot; its children stay valid.
     *
     * @throws SkiffException {@code NOT_FOUND} (field {@code snapshot}) when this instance has no such snapshot
     */
    TaskInfo deleteSnapshot(String idOrName, String name, AuthenticatedUser caller);
}
