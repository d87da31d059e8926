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
}
