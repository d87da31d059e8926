package io.skiff.api.service;

import io.skiff.api.model.MediaImage;

import java.io.InputStream;
import java.util.List;

/** The Core's catalogue of ISO media for instances' CD-ROM drives. */
public interface MediaService {

    List<MediaImage> list();

    /** @param idOrName medium id or name */
    MediaImage get(String idOrName);

    /**
     * Receives an ISO from a stream (never the whole file in memory) as a task whose progress follows the bytes;
     * returns when the task has finished.
     *
     * @throws SkiffException {@code INVALID} naming the field at fault (truncated, checksum, format); nothing stays
     */
    MediaUploadResult upload(UploadSpec spec, InputStream content, String user);

    /** Deletes a medium. */
    void delete(String idOrName);

    /** @return the medium's content */
    InputStream open(String id);

    /**
     * @return whether {@code token} is a one-time token the Core gave a cell to download this medium (it is spent
     *     either way)
     */
    default boolean redeemTransferToken(String id, String token) {
        return false;
    }
}
