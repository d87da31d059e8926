package io.skiff.api.service;

import io.skiff.api.model.InstanceStatus;
import io.skiff.api.model.TaskInfo;

/** An instance's media CD-ROM drive (ISO media from the media catalogue) and what it boots from. */
@org.osgi.annotation.versioning.ProviderType
public interface InstanceMediaService {

    /**
     * Puts an ISO medium into the instance's media CD-ROM drive, replacing the one it holds: live when the instance
     * runs, in its definition otherwise.
     *
     * @param media medium id or name
     * @throws SkiffException {@code NOT_FOUND} (field {@code media}) for an unknown medium or one the caller may
     *     not see
     */
    TaskInfo insertMedia(String idOrName, String media, AuthenticatedUser caller);

    /**
     * Empties the instance's media CD-ROM drive.
     *
     * @throws SkiffException {@code CONFLICT} (field {@code media}) when the drive is empty
     */
    TaskInfo ejectMedia(String idOrName, AuthenticatedUser caller);

    /**
     * Changes what a stopped instance boots from: {@code disk} or {@code cdrom} (its media drive first).
     *
     * @throws SkiffException {@code INVALID} (field {@code bootFrom}) for another value, {@code CONFLICT} when the
     *     instance runs
     */
    InstanceStatus setBootFrom(String idOrName, String bootFrom, AuthenticatedUser caller);
}
