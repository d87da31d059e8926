package io.skiff.core.internal;

import io.skiff.api.cell.StoragePoolDefinition;
import io.skiff.api.model.StoragePool;
import io.skiff.api.state.StateStore;

import java.util.List;
import java.util.Optional;

/**
 * The storage pools the Core defines, as kept in the state store under type {@value #TYPE} (journaled and
 * snapshotted like every record): read by the storage pool service, and by instance creation, which puts the disks of
 * a compute pool's instances into the pool attached to it and tells the cell the pool's definition with each disk.
 * Stored records carry no capacity; the storage pool service adds it when a pool is shown.
 */
public final class StoragePoolRecords {
    public static final String TYPE = "storage-pool";

    private final StateStore store;

    public StoragePoolRecords(StateStore store) {
        this.store = store;
    }

    public List<StoragePool> list() {
        return store.list(TYPE, StoragePool.class);
    }

    public Optional<StoragePool> find(String name) {
        return name == null || name.isEmpty() ? Optional.empty() : store.get(TYPE, name, StoragePool.class);
    }

    public void save(StoragePool pool) {
        store.put(TYPE, pool.id(), pool);
    }

    public void delete(String id) {
        store.delete(TYPE, id);
    }

    /** @return the storage pool attached to a compute pool, if any */
    public Optional<StoragePool> forComputePool(String computePoolId) {
        return list().stream().filter(p -> p.computePools().contains(computePoolId)).findFirst();
    }

    /** @return what a cell is told about a pool a disk names, or {@code null} when it is none the Core defines */
    public StoragePoolDefinition definition(String pool) {
        return find(pool).map(StoragePoolRecords::definitionOf).orElse(null);
    }

    public static StoragePoolDefinition definitionOf(StoragePool pool) {
        return new StoragePoolDefinition(pool.name(), pool.provider(), pool.settings());
    }
}
