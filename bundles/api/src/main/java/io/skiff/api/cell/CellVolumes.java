package io.skiff.api.cell;

/** The volumes of a cell's instances: made, resized, added, removed, compacted, captured and deleted. */
public interface CellVolumes {

    /** Downloads the images, creates the volumes and writes the instance's file. */
    @CellRequest(CellProtocol.PREPARE_DISKS)
    PreparedDisks prepareDisks(CellInstanceSpec spec);

    /** Deletes the instance's volumes, seed and files; nothing there counts as deleted. */
    @CellRequest(CellProtocol.DELETE_DISKS)
    Ack deleteDisks(InstanceAction action);

    /** Grows (or, stopped and above its data, shrinks) one disk. */
    @CellRequest(CellProtocol.RESIZE_DISK)
    Ack resizeDisk(DiskResize request);

    /** Makes an empty data disk and adds it to the definition (hot-plugged when running). */
    @CellRequest(CellProtocol.ADD_DISK)
    Ack addDisk(DiskAdd request);

    /** Detaches a data disk, takes it out of the definition and deletes its volume. */
    @CellRequest(CellProtocol.REMOVE_DISK)
    Ack removeDisk(DiskRemove request);

    /** Rewrites a stopped instance's disk without its unused space. */
    @CellRequest(CellProtocol.COMPACT_DISK)
    Ack compactDisk(DiskCompact request);

    /** One disk's size, the space it takes and where its data ends. */
    @CellRequest(value = CellProtocol.DISK_USAGE, changes = false)
    DiskUsage diskUsage(DiskUsageRequest request);

    /** Copies a stopped instance's disk (flattened) and uploads it to the Core as an image. */
    @CellRequest(CellProtocol.CAPTURE_DISK)
    Ack captureDisk(DiskCapture request);

    /** Replaces a stopped instance's system disk by a fresh one from its image. */
    @CellRequest(CellProtocol.RESET_SYSTEM_DISK)
    Ack resetSystemDisk(CellInstanceSpec spec);

    /**
     * Checks that this cell's backend of the pool's provider could keep volumes in it (for {@code nfs}: the server
     * answers and exports the export to this host), without keeping anything.
     *
     * @return an {@link Ack} whose detail names the cell's backend
     * @throws io.skiff.api.service.SkiffException {@code INVALID} naming the setting that cannot work
     *     ({@code server}, {@code export}, ...), {@code UNAVAILABLE} ({@code provider-unavailable}) when the cell has
     *     no backend of that provider
     * @since 0.7 of this package
     */
    @CellRequest(value = CellProtocol.CHECK_STORAGE_POOL, changes = false)
    default Ack checkStoragePool(StoragePoolDefinition definition) {
        throw io.skiff.api.service.SkiffException.unavailable("this cell cannot check storage pools");
    }
}
