package io.skiff.api.spi;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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

    /**
     * Checks that a storage pool with these settings could be used from this host now (for a shared backend: the
     * server answers and serves what the settings name), without keeping anything. The Core asks it through a cell
     * before it creates a storage pool.
     *
     * @param pool the pool's name
     * @param settings the backend's settings of the pool
     * @throws io.skiff.api.service.SkiffException {@code INVALID} naming the setting that cannot work
     * @since 1.3 of this package
     */
    default void check(String pool, Map<String, String> settings) {
    }

    /**
     * Takes a storage pool the Core defines (with a disk of it, on a cell that did not know the pool yet): from now
     * on the other methods accept {@code name} as a pool. Defining a pool that this backend serves already with the
     * same settings does nothing.
     *
     * @param name the pool's name
     * @param settings the backend's settings of the pool
     * @throws io.skiff.api.service.SkiffException {@code INVALID} naming a setting that cannot work,
     *     {@code UNAVAILABLE} when this backend takes no pools but the ones of its own configuration (the default)
     * @since 1.3 of this package
     */
    default void definePool(String name, Map<String, String> settings) {
        throw io.skiff.api.service.SkiffException.unavailable("this storage backend takes no storage pools but the "
                + "ones of its own configuration; storage pool '" + name + "' is not one of them");
    }

    StoragePoolUsage usage(String pool);

    /**
     * @return whether every host that uses a pool of this backend sees the same volumes (network storage): a migrated
     *     instance keeps its volumes, only its memory moves
     */
    default boolean shared() {
        return false;
    }

    /**
     * @param backingPath where this host's image cache keeps, or would keep, an image file
     *     ({@code .../<image id>.<format>}), as given to {@link #create}
     * @return whether the pool already holds its own copy of that image (shared storage keeps one per pool), so that
     *     a linked clone of it needs no copy of the file on this host; by default false
     */
    default boolean holdsImage(String pool, String backingPath) {
        return false;
    }
}
