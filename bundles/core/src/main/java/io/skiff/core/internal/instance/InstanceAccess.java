package io.skiff.core.internal.instance;

import io.skiff.api.model.DiskImage;
import io.skiff.api.model.DiskSpec;
import io.skiff.api.model.InstanceSpec;
import io.skiff.api.model.InstanceStatus;
import io.skiff.api.model.MediaImage;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.SkiffException;
import io.skiff.core.internal.Visibility;
import io.skiff.core.internal.image.ImageCatalog;

import java.util.List;

/**
 * The instances a caller may see: the records' lookups with the Core's visibility rule ({@link Visibility}). An
 * instance the caller may not see is answered exactly like one that does not exist ({@code NOT_FOUND instance}),
 * before anything else is checked, so no answer tells it apart. The same holds for the images and media a create
 * names.
 */
final class InstanceAccess {
    private final InstanceRecords records;
    private final ImageCatalog images;
    private final InstanceProviders providers;
    private final Visibility visibility;

    InstanceAccess(InstanceRecords records, ImageCatalog images, InstanceProviders providers, Visibility visibility) {
        this.records = records;
        this.images = images;
        this.providers = providers;
        this.visibility = visibility;
    }

    /**
     * @return the record of this id or name, when the caller may see it
     * @throws SkiffException {@code INVALID instance} when none is given, {@code NOT_FOUND instance} when unknown or
     *     not visible to the caller
     */
    InstanceRecord require(String idOrName, AuthenticatedUser caller) {
        InstanceRecord r = records.require(idOrName);
        return visibility.require(r, caller, r.owner(), r.group(), () -> SkiffException.notFound("instance", idOrName));
    }

    /**
     * @return the record, when the caller may see it and no create or delete is working on it
     * @throws SkiffException as {@link #require}, then {@code CONFLICT instance} naming the task to wait for
     */
    InstanceRecord settled(String idOrName, AuthenticatedUser caller) {
        require(idOrName, caller);
        return records.settled(idOrName);
    }

    /** @return whether the caller sees every instance */
    boolean seesAll(AuthenticatedUser caller) {
        return visibility.seesAll(caller);
    }

    /** @return whether the caller may see the instance */
    boolean canSee(InstanceRecord r, AuthenticatedUser caller) {
        return visibility.canSee(caller, r.owner(), r.group());
    }

    /**
     * Refuses a spec that names an image or a medium the caller may not see, as if it did not exist:
     * {@code NOT_FOUND disks} (an image), {@code NOT_FOUND media} (a medium); an unknown one is refused by the
     * catalogue ({@code NOT_FOUND image}, {@code NOT_FOUND media}).
     */
    void requireVisibleSources(InstanceSpec spec, AuthenticatedUser caller) {
        if (spec == null) {
            return;
        }
        for (DiskSpec d : spec.disks() == null ? List.<DiskSpec>of() : spec.disks()) {
            if (d != null && d.imageId() != null && !d.imageId().isEmpty()) {
                DiskImage image = images.get(d.imageId());
                visibility.require(image, caller, image.owner(), image.group(),
                        () -> SkiffException.notFound("disks", "image", d.imageId()));
            }
        }
        if (spec.media() != null && !spec.media().isEmpty()) {
            requireVisibleMedium(spec.media(), caller);
        }
    }

    /** @return the medium of this id or name, when the caller may see it ({@code NOT_FOUND media} otherwise) */
    MediaImage requireVisibleMedium(String idOrName, AuthenticatedUser caller) {
        MediaImage medium = providers.media().get(idOrName);
        return visibility.require(medium, caller, medium.owner(), medium.group(),
                () -> SkiffException.notFound("media", "medium", idOrName));
    }

    /** @return the group the caller's new instance belongs to */
    String groupOf(AuthenticatedUser caller) {
        return visibility.groupOf(caller);
    }
}
