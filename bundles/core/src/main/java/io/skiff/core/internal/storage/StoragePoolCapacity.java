package io.skiff.core.internal.storage;

import io.skiff.api.model.CellStoragePool;
import io.skiff.api.model.StoragePool;

import java.util.Comparator;
import java.util.List;

/**
 * A storage pool's capacity and free space from the cells' last reports of it ({@link CellStoragePool}s of its
 * name and provider): a shared pool ({@code nfs}, one export) is counted once, from the newest report, however many
 * cells use it; a {@code local} pool is a directory on each cell's host, so its cells' figures add up.
 */
final class StoragePoolCapacity {

    private StoragePoolCapacity() {
    }

    static StoragePool of(StoragePool pool, List<CellStoragePool> reports) {
        List<CellStoragePool> mine = reports.stream()
                .filter(r -> pool.name().equals(r.name()) && pool.provider().equals(r.provider())).toList();
        if (mine.isEmpty()) {
            return pool.withCapacity(0, 0);
        }
        if (pool.shared()) {
            CellStoragePool newest = mine.stream().max(Comparator.comparing(CellStoragePool::reportedAt,
                    Comparator.nullsFirst(Comparator.naturalOrder()))).orElseThrow();
            return pool.withCapacity(newest.capacityBytes(), newest.availableBytes());
        }
        return pool.withCapacity(mine.stream().mapToLong(CellStoragePool::capacityBytes).sum(),
                mine.stream().mapToLong(CellStoragePool::availableBytes).sum());
    }
}
