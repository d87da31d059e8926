package io.skiff.api.service;

import io.skiff.api.model.DiskImage;

import java.io.InputStream;
import java.util.List;

/** The Core's catalogue of disk images. */
public interface ImageService {

    List<DiskImage> list();

    /** @param idOrName image id or name */
    DiskImage get(String idOrName);

    /**
     * Imports an image file that is on the Core's host (qcow2 or raw), copying it into the catalogue.
     *
     * @param name unique name
     * @param path file on the Core's host
     * @param user owner
     */
    DiskImage importFile(String name, String path, String user);

    /** Deletes an image; refused while instances depend on it. */
    void delete(String idOrName);

    /** @return the image's content, for streaming to cells and downloads */
    InputStream open(String id);

    /**
     * Spends a one-time transfer token that the Core gave a cell for downloading one image.
     *
     * @return whether the token was valid for this image
     */
    boolean redeemTransferToken(String imageId, String token);

    /**
     * Searches the catalogue.
     *
     * @param name part of the name (case-insensitive), or {@code null} for any
     * @param tag a tag the image must carry, or {@code null} for any
     */
    default List<DiskImage> search(String name, String tag) {
        String part = name == null ? null : name.toLowerCase(java.util.Locale.ROOT);
        return list().stream()
                .filter(i -> part == null || i.name().toLowerCase(java.util.Locale.ROOT).contains(part))
                .filter(i -> tag == null || (i.tags() != null && i.tags().contains(tag)))
                .toList();
    }

    /**
     * Receives an image (qcow2 or raw) from a stream, never holding the whole file in memory, as a task whose
     * progress follows the bytes; returns when the task has finished.
     *
     * @throws SkiffException {@code INVALID} naming the field at fault (truncated, checksum, format); no partial
     *     file and no record stay behind
     */
    default ImageUploadResult upload(UploadSpec spec, InputStream content, String user) {
        throw new UnsupportedOperationException("upload");
    }

    /** @return whether the Core expects a captured disk for this image with this one-time token */
    default boolean expectsCapture(String imageId, String token) {
        return false;
    }

    /**
     * Receives a disk a cell captured from a stopped instance (see {@link InstanceImageService#captureImage}).
     *
     * @param sizeBytes the announced size, or -1
     */
    default DiskImage receiveCapture(String imageId, String token, long sizeBytes, InputStream content) {
        throw new UnsupportedOperationException("receiveCapture");
    }
}
