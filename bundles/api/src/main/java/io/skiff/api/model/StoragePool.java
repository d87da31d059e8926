package io.skiff.api.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A place to keep volumes, served by the {@code StorageBackend} named by {@code provider}: a storage pool the Core
 * defines ({@code POST /api/v1/storage-pools}) and attaches to compute pools, whose cells then make the disks of new
 * instances in it. A compute pool uses at most one storage pool; one storage pool may back several compute pools.
 * Capacity and free space come from the last reports of the cells that use it, counted once for a shared pool.
 *
 * @param id unique id (also the name, which is unique and immutable)
 * @param name unique name: letters, digits, '-', '_' and '.', at most 64 characters
 * @param provider the {@code skiff.provider} of the backend (the pool's type), {@code local} or {@code nfs}
 * @param settings backend settings (path, server, export, mode, ...)
 * @param capacityBytes total capacity as last reported (0 while no cell reported it)
 * @param freeBytes free space as last reported
 * @param computePools the compute pools whose instances keep their disks here (since 2.1 of this package)
 * @param createdAt when the pool was created (since 2.1 of this package)
 */
public record StoragePool(String id, String name, String provider, Map<String, String> settings,
                          long capacityBytes, long freeBytes, List<String> computePools, Instant createdAt) {
    /** Type {@code local}: a directory on each cell's host; every cell has its own volumes. */
    public static final String LOCAL = "local";
    /** Type {@code nfs}: one NFS export that every cell using the pool shares. */
    public static final String NFS = "nfs";

    public StoragePool {
        settings = settings == null ? Map.of() : Map.copyOf(settings);
        computePools = computePools == null ? List.of() : List.copyOf(computePools);
    }

    /** A pool attached to no compute pool. */
    public StoragePool(String id, String name, String provider, Map<String, String> settings,
                       long capacityBytes, long freeBytes) {
        this(id, name, provider, settings, capacityBytes, freeBytes, List.of(), null);
    }

    /** @return whether every cell using the pool sees the same volumes (an instance's disks need not move with it) */
    public boolean shared() {
        return NFS.equals(provider);
    }

    /** The same pool with other capacity figures. */
    public StoragePool withCapacity(long newCapacityBytes, long newFreeBytes) {
        return new StoragePool(id, name, provider, settings, newCapacityBytes, newFreeBytes, computePools, createdAt);
    }

    /** The same pool attached to other compute pools. */
    public StoragePool withComputePools(List<String> newComputePools) {
        return new StoragePool(id, name, provider, settings, capacityBytes, freeBytes, newComputePools, createdAt);
    }
}
