package io.skiff.api.spi;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Keeps volumes in the storage pools of one kind. Volumes are named after the instance they belong to, so
 * orphans can be found. Registered with {@code skiff.provider} ({@code local}, {@code nfs}).
 */
public interface StorageBackend {

    /**
     * Creates a qcow2 volume: empty, or a linked clone of {@code backingPath} when it is not null.
     *
     * @param pool storage pool name
     * @param name volume name
     * @param capacityBytes virtual size (at least the backing image's)
     * @param backingPath image to clone, or {@code null}
     */
    Volume create(String pool, String name, long capacityBytes, String backingPath);

    /** Copies an image file into the pool as a new volume (full copy). */
    Volume importFile(String pool, String name, Path source);

    /** Deletes a volume; tolerates one that does not exist. */
    void delete(String pool, String name);

    Volume resize(String pool, String name, long capacityBytes);

    Optional<Volume> find(String pool, String name);

    /**
     * Rewrites a volume that no domain uses without its unused space and replaces it atomically; a linked clone
     * stays a linked clone of the same backing file.
     *
     * @return the volume after (its {@code allocationBytes} are what it takes on disk now)
     */
    default Volume compact(String pool, String name) {
        throw io.skiff.api.service.SkiffException.unavailable("this storage backend cannot compact volumes");
    }

    /**
     * Where the data a guest could read ends: the end of the last byte range of the volume (read through its backing
     * chain) that holds anything but zeros. A shrink must keep it.
     */
    default long dataEndBytes(String pool, String name) {
        throw io.skiff.api.service.SkiffException.unavailable("this storage backend cannot tell where a volume's data ends");
    }

    /**
     * Shrinks a volume no domain uses to {@code capacityBytes}.
     *
     * @throws io.skiff.api.service.SkiffException {@code INVALID} (field {@code capacityBytes}) when the volume holds
     *     data beyond that size ({@link #dataEndBytes}); nothing changes then
     */
    default Volume shrink(String pool, String name, long capacityBytes) {
        throw io.skiff.api.service.SkiffException.unavailable("this storage backend cannot shrink volumes");
    }

    List<Volume> list(String pool);

    StoragePoolUsage usage(String pool);

    /**
     * @return whether every host that uses a pool of this backend sees the same volumes (network storage): a migrated
     *     instance keeps its volumes, only its memory moves
     */
    default boolean shared() {
        return false;
    }
}
