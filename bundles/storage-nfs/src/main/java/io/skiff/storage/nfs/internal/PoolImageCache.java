package io.skiff.storage.nfs.internal;

import io.skiff.api.service.SkiffException;
import io.skiff.storage.support.ImageFormat;
import io.skiff.storage.support.VolumeNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.UUID;

/**
 * The images that linked clones in the pool read from, kept once per pool in {@code images/} on the export and
 * shared by every host and cell that uses the pool: the first clone of an image copies the cell's cached file there
 * (as a standalone qcow2), every later clone, from whichever cell, finds it. A copy is written under a name of its own
 * and published with a hard link that never replaces a file, so two cells copying the same image at once both end
 * with the one copy that won, and a running guest's backing file is never replaced under it.
 */
final class PoolImageCache {
    static final String DIRECTORY = "images";
    private static final Logger LOG = LoggerFactory.getLogger(PoolImageCache.class);

    /** An image in the pool: where clones find it, its format and its virtual size. */
    record Backing(String location, String format, long virtualSize) {
    }

    private final PoolFiles files;
    private final NfsQemuImg qemuImg;

    PoolImageCache(PoolFiles files, NfsQemuImg qemuImg) {
        this.files = files;
        this.qemuImg = qemuImg;
    }

    /**
     * @param backingPath a file of this pool (an {@code nfs://} URL or, mounted, a file name below the mount point),
     *     or an image file on this host (the cell's image cache: {@code .../<image id>.<format>})
     * @return the image in the pool, copied there first when this host's file is not there yet
     */
    synchronized Backing backing(String backingPath) {
        if (backingPath == null || backingPath.isBlank()) {
            throw SkiffException.invalid("backingPath", "the backing image is empty");
        }
        if (backingPath.startsWith(NfsUrls.SCHEME) || files.pathOf(backingPath).isPresent()) {
            String path = files.pathOf(backingPath).orElseThrow(() -> SkiffException.invalid("backingPath",
                    "backing image '" + backingPath + "' is not on this pool's export " + files.location("")));
            return inPool(path, backingPath).orElseThrow(() -> SkiffException.notFound("backingPath",
                    "backing image", backingPath));
        }
        Path source = Path.of(backingPath);
        String path = DIRECTORY + "/" + cachedName(source);
        // this host's file is read only when the pool has no copy yet: a cell that did not fetch it clones at once
        return inPool(path, backingPath).orElseGet(() -> copy(source,
                ImageFormat.read(source, "backingPath", "backing image"), path));
    }

    /** @return whether the pool has its copy of the image of this host's file {@code backingPath} already */
    synchronized boolean holds(String backingPath) {
        return files.stat(DIRECTORY + "/" + cachedName(Path.of(backingPath))).isPresent();
    }

    /** {@code debian-12.qcow2} and {@code debian-12.raw} are both cached as {@code debian-12.qcow2}. */
    static String cachedName(Path source) {
        String file = source.getFileName().toString();
        int dot = file.lastIndexOf('.');
        String stem = dot > 0 ? file.substring(0, dot) : file;
        try {
            return VolumeNames.fileName(stem);
        } catch (SkiffException e) {
            throw SkiffException.invalid("backingPath", "backing image '" + source + "' has a file name that cannot "
                    + "name an image in the pool: " + e.getMessage());
        }
    }

    private java.util.Optional<Backing> inPool(String path, String requested) {
        return files.stat(path).map(stat -> {
            byte[] header = files.head(path, 512);
            ImageFormat format = ImageFormat.detect(header, header.length, stat.sizeBytes())
                    .requireSupported("backingPath", "backing image '" + requested + "'");
            return new Backing(files.location(path), format.format(), format.virtualSize());
        });
    }

    private Backing copy(Path source, ImageFormat image, String path) {
        files.createDirectory(DIRECTORY);
        String partial = DIRECTORY + "/." + UUID.randomUUID() + ".part"; // not an image name: never taken for one
        try {
            qemuImg.convertToQcow2(source.toString(), image.format(), files.location(partial),
                    "image " + source + " to " + files.location(path));
            if (files.link(partial, path)) {
                LOG.info("Image {} cached in the pool as {}", source, files.location(path));
            } else {
                LOG.info("Image {} was cached in the pool by another host meanwhile: {}", source, files.location(path));
            }
        } finally {
            files.deleteQuietly(partial);
        }
        return inPool(path, source.toString()).orElseThrow(() -> SkiffException.unavailable("image " + source
                + " went from the pool right after it was cached (" + files.location(path) + ")"));
    }
}
