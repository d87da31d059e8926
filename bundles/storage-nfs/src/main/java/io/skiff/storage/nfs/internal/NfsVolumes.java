package io.skiff.storage.nfs.internal;

import io.skiff.api.service.SkiffException;
import io.skiff.api.service.SkiffException.Kind;
import io.skiff.api.spi.StoragePoolUsage;
import io.skiff.api.spi.Volume;
import io.skiff.storage.support.ImageFormat;
import io.skiff.storage.support.VolumeNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The volumes of one NFS pool, whichever way the host reaches the export: qcow2 files {@code <name>.qcow2} in the
 * export's root, written by qemu-img (create, linked clone of an image in the pool's {@link PoolImageCache}, full
 * copy, grow), looked up, listed, measured and deleted through {@link PoolFiles}. A volume's capacity is read from
 * its qcow2 header, its allocation is the space the server reports for the file.
 * <p>
 * No domain and no libvirt volume stands for a file here, so the files are the whole truth: every host that mounts
 * the export sees the same volumes. A full copy is written under a name of its own and published with a hard link
 * that fails rather than replace a volume.
 */
final class NfsVolumes {
    private static final Logger LOG = LoggerFactory.getLogger(NfsVolumes.class);
    private static final int HEADER_BYTES = 512;

    private final String poolName;
    private final PoolFiles files;
    private final NfsQemuImg qemuImg;
    private final PoolImageCache images;

    NfsVolumes(String poolName, PoolFiles files, NfsQemuImg qemuImg) {
        this.poolName = poolName;
        this.files = files;
        this.qemuImg = qemuImg;
        this.images = new PoolImageCache(files, qemuImg);
    }

    /** @return whether the pool's image cache has the image of this host's file {@code backingPath} */
    boolean holdsImage(String backingPath) {
        files.requireReachable();
        return images.holds(backingPath);
    }

    Volume create(String pool, String name, long capacityBytes, String backingPath) {
        String file = VolumeNames.fileName(name);
        String poolName = poolName(pool);
        if (capacityBytes < 0 || (capacityBytes == 0 && backingPath == null)) {
            throw SkiffException.invalid("capacityBytes", "volume '" + name + "' needs a positive capacity, not "
                    + capacityBytes);
        }
        files.requireReachable(); // qemu-img would wait for an unreachable server for minutes
        requireAbsent(name, file);
        PoolImageCache.Backing backing = backingPath == null ? null : images.backing(backingPath);
        String target = files.location(file);
        try {
            if (backing == null) {
                qemuImg.create(target, capacityBytes, name);
            } else {
                // a clone smaller than its image would hide the image's end from the guest
                long capacity = Math.max(capacityBytes, backing.virtualSize());
                qemuImg.createOverlay(target, backing.location(), backing.format(), capacity, name);
            }
        } catch (RuntimeException e) {
            files.deleteQuietly(file); // what qemu-img may have begun: absent above, so no one else's volume
            throw e;
        }
        Volume created = require(poolName, name, file);
        LOG.info("Volume {} created in storage pool {}: {} bytes{}", name, poolName, created.capacityBytes(),
                backingPath == null ? "" : ", linked clone of " + backingPath);
        return created;
    }

    Volume importFile(String pool, String name, Path source) {
        String file = VolumeNames.fileName(name);
        if (source == null) {
            throw SkiffException.invalid("source", "volume '" + name + "' needs an image file to import");
        }
        ImageFormat image = ImageFormat.read(source, "source", "image file");
        String poolName = poolName(pool);
        files.requireReachable();
        requireAbsent(name, file);
        String partial = "." + file + "." + UUID.randomUUID() + ".part"; // not a volume name: list() never shows it
        try {
            qemuImg.convertToQcow2(source.toString(), image.format(), files.location(partial),
                    "'" + source + "' into volume '" + name + "'");
            if (!files.link(partial, file)) {
                throw conflict(name);
            }
        } finally {
            files.deleteQuietly(partial);
        }
        Volume imported = require(poolName, name, file);
        LOG.info("Volume {} imported into storage pool {} from {} ({}): {} bytes", name, poolName, source,
                image.format(), imported.capacityBytes());
        return imported;
    }

    void delete(String pool, String name) {
        files.requireReachable(); // an undo that deletes waits for the server: tried again until it answers
        String file = VolumeNames.fileName(name);
        String poolName = poolName(pool);
        if (files.delete(file)) {
            LOG.info("Volume {} deleted from storage pool {}", name, poolName);
        } else {
            LOG.debug("Volume {} is not in storage pool {}, nothing to delete", name, poolName);
        }
    }

    Volume resize(String pool, String name, long capacityBytes) {
        String file = VolumeNames.fileName(name);
        String poolName = poolName(pool);
        files.requireReachable();
        Volume current = find(poolName, name, file).orElseThrow(() -> volumeNotFound(poolName, name));
        if (capacityBytes < current.capacityBytes()) {
            throw SkiffException.invalid("capacityBytes", "volume '" + name + "' cannot shrink from "
                    + current.capacityBytes() + " to " + capacityBytes
                    + " bytes: volumes only grow (shrinking cuts off the guest's data)");
        }
        if (capacityBytes == current.capacityBytes()) {
            return current;
        }
        qemuImg.grow(files.location(file), capacityBytes, name);
        LOG.info("Volume {} in storage pool {} grown from {} to {} bytes", name, poolName, current.capacityBytes(),
                capacityBytes);
        return require(poolName, name, file);
    }

    Optional<Volume> find(String pool, String name) {
        return find(poolName(pool), name, VolumeNames.fileName(name));
    }

    List<Volume> list(String pool) {
        String poolName = poolName(pool);
        List<Volume> volumes = new ArrayList<>();
        for (String file : files.list("")) {
            Optional<String> name = VolumeNames.volumeName(file);
            // a volume may go between the listing and its look-up
            name.flatMap(n -> find(poolName, n, file)).ifPresent(volumes::add);
        }
        volumes.sort(Comparator.comparing(Volume::name));
        return volumes;
    }

    StoragePoolUsage usage(String pool) {
        poolName(pool);
        return files.usage();
    }

    private Optional<Volume> find(String poolName, String name, String file) {
        return files.stat(file).map(stat -> {
            byte[] header = files.head(file, HEADER_BYTES);
            ImageFormat image = ImageFormat.detect(header, header.length, stat.sizeBytes());
            return new Volume(poolName, name, files.location(file), image.format(), image.virtualSize(),
                    stat.usedBytes());
        });
    }

    private Volume require(String poolName, String name, String file) {
        return find(poolName, name, file).orElseThrow(() -> new SkiffException(Kind.INTERNAL, "storage-failed",
                "volume '" + name + "' is not in storage pool '" + poolName + "' right after it was written ("
                        + files.location(file) + ")", null));
    }

    private void requireAbsent(String name, String file) {
        if (files.stat(file).isPresent()) {
            throw conflict(name);
        }
    }

    private SkiffException conflict(String name) {
        return SkiffException.conflict("name", "volume '" + name + "' already exists in storage pool '" + poolName
                + "'");
    }

    private String poolName(String requested) {
        if (requested == null || requested.isBlank() || requested.equals(poolName)) {
            return poolName;
        }
        throw new SkiffException(Kind.NOT_FOUND, "not-found", "storage pool '" + requested + "' is not served by "
                + "this nfs backend (its pool is '" + poolName + "')", "pool");
    }

    private static SkiffException volumeNotFound(String poolName, String name) {
        return new SkiffException(Kind.NOT_FOUND, "not-found", "volume '" + name + "' does not exist in storage pool '"
                + poolName + "'", "name");
    }
}
