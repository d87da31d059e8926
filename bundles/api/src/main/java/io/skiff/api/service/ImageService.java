package io.skiff.api.service;

import io.skiff.api.model.DiskImage;

import java.io.InputStream;
import java.util.List;

/**
 * The Core's catalogue of disk images. The methods that take the {@code caller} answer only about the images it may
 * see ({@link IdentityService#canSee}): one it may not see is answered like one that does not exist; those without a
 * caller see every image, for the platform's own use (since version 2.0 of this package).
 */
public interface ImageService {

    /** @return every image, whoever owns it (for the platform's own use) */
    List<DiskImage> list();

    /** @return the images the caller may see */
    List<DiskImage> list(AuthenticatedUser caller);

    /** @param idOrName image id or name */
    DiskImage get(String idOrName);

    /**
     * @param idOrName image id or name
     * @throws SkiffException {@code NOT_FOUND image} when it does not exist or the caller may not see it
     */
    DiskImage get(String idOrName, AuthenticatedUser caller);

    /**
     * Imports an image file that is on the Core's host (qcow2 or raw), copying it into the catalogue.
     *
     * @param name unique name
     * @param path file on the Core's host
     * @param caller its owner (the image's group is the caller's)
     */
    DiskImage importFile(String name, String path, AuthenticatedUser caller);

    /** Deletes an image; refused while instances depend on it. */
    void delete(String idOrName, AuthenticatedUser caller);

    /** @return the image's content, for streaming to cells and downloads */
    InputStream open(String id);

    /**
     * Spends a one-time transfer token that the Core gave a cell for downloading one image.
     *
     * @return whether the token was valid for this image
     */
    boolean redeemTransferToken(String imageId, String token);

    /**
     * Searches the images the caller may see.
     *
     * @param name part of the name (case-insensitive), or {@code null} for any
     * @param tag a tag the image must carry, or {@code null} for any
     */
    default List<DiskImage> search(String name, String tag, AuthenticatedUser caller) {
        String part = name == null ? null : name.toLowerCase(java.util.Locale.ROOT);
        return list(caller).stream()
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
    default ImageUploadResult upload(UploadSpec spec, InputStream content, AuthenticatedUser caller) {
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
