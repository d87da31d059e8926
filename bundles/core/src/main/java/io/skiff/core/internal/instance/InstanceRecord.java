package io.skiff.core.internal.instance;

import io.skiff.api.model.DiskSpec;
import io.skiff.api.model.InstanceSpec;
import io.skiff.api.model.InstanceState;
import io.skiff.api.model.StoragePool;

import java.time.Instant;

/**
 * The durable part of an instance (state store type {@value #TYPE}): what it should be, where it was
 * placed, the storage pool its disks are in, and the state its last task left it in. Live figures come from the
 * cell's reports.
 *
 * @param storagePoolId the storage pool the Core defines that its disks were made in (the one attached to its compute
 *     pool at creation), or {@code null} for the storage of its cell's own settings
 * @param sharedStorage whether that pool is shared by the cells (NFS): the disks need not move when the instance
 *     moves to another cell of the pool
 */
public record InstanceRecord(String id, InstanceSpec spec, String cellId, String owner, String group,
                             InstanceState state, String lastError, String taskId, Instant createdAt,
                             Instant updatedAt, String storagePoolId, boolean sharedStorage) {
    public static final String TYPE = "instance";

    /** An instance on its cell's own storage. */
    public InstanceRecord(String id, InstanceSpec spec, String cellId, String owner, String group,
                          InstanceState state, String lastError, String taskId, Instant createdAt,
                          Instant updatedAt) {
        this(id, spec, cellId, owner, group, state, lastError, taskId, createdAt, updatedAt, null, false);
    }

    public boolean usesImage(String imageId) {
        return spec.disks().stream().filter(DiskSpec::linkedClone).map(DiskSpec::imageId).anyMatch(imageId::equals);
    }

    InstanceRecord with(InstanceState newState, String error, String task, Instant now) {
        return new InstanceRecord(id, spec, cellId, owner, group, newState, error, task, createdAt, now,
                storagePoolId, sharedStorage);
    }

    InstanceRecord withSpec(InstanceSpec newSpec, Instant now) {
        return new InstanceRecord(id, newSpec, cellId, owner, group, state, lastError, taskId, createdAt, now,
                storagePoolId, sharedStorage);
    }

    /** The same record with its disks in a storage pool the Core defines ({@code null}: its cell's own storage). */
    InstanceRecord onStoragePool(StoragePool pool) {
        return new InstanceRecord(id, spec, cellId, owner, group, state, lastError, taskId, createdAt, updatedAt,
                pool == null ? null : pool.id(), pool != null && pool.shared());
    }

    InstanceRecord withCell(String newCellId, Instant now) {
        return new InstanceRecord(id, spec, newCellId, owner, group, state, lastError, taskId, createdAt, now,
                storagePoolId, sharedStorage);
    }

    /** Volume names are derived from the instance id, so a cell can find orphans. */
    static String volumeName(String instanceId, int index) {
        return "skiff-" + instanceId + "-disk" + index;
    }
}
