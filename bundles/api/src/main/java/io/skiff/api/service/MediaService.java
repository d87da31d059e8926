package io.skiff.api.service;

import io.skiff.api.model.MediaImage;

import java.io.InputStream;
import java.util.List;

/**
 * The Core's catalogue of ISO media for instances' CD-ROM drives. The methods that take the {@code caller} answer
 * only about the media it may see ({@link IdentityService#canSee}): one it may not see is answered like one that does
 * not exist; those without a caller see every medium, for the platform's own use (since version 2.0 of this package).
 */
public interface MediaService {

    /** @return every medium, whoever owns it (for the platform's own use) */
    List<MediaImage> list();

    /** @return the media the caller may see */
    List<MediaImage> list(AuthenticatedUser caller);

    /** @param idOrName medium id or name */
    MediaImage get(String idOrName);

    /**
     * @param idOrName medium id or name
     * @throws SkiffException {@code NOT_FOUND media} when it does not exist or the caller may not see it
     */
    MediaImage get(String idOrName, AuthenticatedUser caller);

    /**
     * Receives an ISO from a stream (never the whole file in memory) as a task whose progress follows the bytes;
     * returns when the task has finished.
     *
     * @throws SkiffException {@code INVALID} naming the field at fault (truncated, checksum, format); nothing stays
     */
    MediaUploadResult upload(UploadSpec spec, InputStream content, AuthenticatedUser caller);

    /** Deletes a medium. */
    void delete(String idOrName, AuthenticatedUser caller);

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
