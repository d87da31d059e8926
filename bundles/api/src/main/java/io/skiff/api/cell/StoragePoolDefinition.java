package io.skiff.api.cell;

import java.util.Map;

/**
 * A storage pool as the Core defines it ({@code POST /api/v1/storage-pools}), told to a cell with a disk of the pool
 * so that a cell that does not know the pool yet can have its backend take it.
 *
 * @param name the pool's name, also the {@link CellDisk#storagePool()} of its disks
 * @param provider {@code skiff.provider} of the backend that keeps its volumes ({@code local}, {@code nfs})
 * @param settings the backend's settings of the pool ({@code server}, {@code export}, {@code mode} for {@code nfs};
 *     {@code path} for {@code local})
 * @since 0.7 of this package
 */
public record StoragePoolDefinition(String name, String provider, Map<String, String> settings) {
    public StoragePoolDefinition {
        settings = settings == null ? Map.of() : Map.copyOf(settings);
    }
}
