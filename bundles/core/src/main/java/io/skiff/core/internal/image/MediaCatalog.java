package io.skiff.core.internal.image;

import io.skiff.api.model.MediaImage;
import io.skiff.api.model.TaskInfo;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.MediaService;
import io.skiff.api.service.MediaUploadResult;
import io.skiff.api.service.SkiffException;
import io.skiff.api.service.UploadSpec;
import io.skiff.api.state.StateStore;
import io.skiff.api.task.TaskEngine;
import io.skiff.core.internal.InventoryLock;
import io.skiff.core.internal.Names;
import io.skiff.core.internal.Visibility;
import io.skiff.core.internal.instance.InstanceRecord;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The Core's catalogue of ISO media: records in the state store (type {@value #TYPE}), files under
 * {@code data/skiff/media}. Uploads are tasks whose progress follows the bytes (see {@link UploadTask}); cells fetch
 * a medium for an instance's media drive over HTTP with a one-time token.
 */
@Component(service = {MediaService.class, MediaCatalog.class})
public class MediaCatalog extends FileCatalog implements MediaService {
    public static final String TYPE = "media";
    private static final Logger LOG = LoggerFactory.getLogger(MediaCatalog.class);
    /**
     * Media being inserted: medium id → instance id → instance name, from the insert task's reservation until its
     * record step (or its undo). Guarded by the inventory {@link #lock}, the one lock under which a medium is
     * reserved, recorded in an instance's media drive, and checked and deleted; in memory only, as an insert task
     * the Core's restart interrupts is undone (its record step never ran).
     */
    private final Map<String, Map<String, String>> inserting = new HashMap<>();

    /** The undo handler is registered here, not as a DS service (see {@link FileCatalog#registerUndo}). */
    @Activate
    public MediaCatalog(@Reference StateStore store, @Reference InventoryLock lock, @Reference TaskEngine engine,
                        @Reference Visibility visibility, BundleContext context) {
        this(store, lock, engine, dataDir("media"), Clock.systemUTC(), visibility);
        registerUndo(context);
    }

    @Deactivate
    void deactivate() {
        unregisterUndo();
    }

    /** Without OSGi and without an identity service: every medium is visible. */
    public MediaCatalog(StateStore store, InventoryLock lock, TaskEngine engine, Path dir, Clock clock) {
        this(store, lock, engine, dir, clock, new Visibility(() -> null));
    }

    public MediaCatalog(StateStore store, InventoryLock lock, TaskEngine engine, Path dir, Clock clock,
                        Visibility visibility) {
        super(TYPE, "medium", "media.upload", store, lock, engine, dir, clock, visibility);
    }

    @Override
    boolean nameTaken(String name) {
        return list().stream().anyMatch(i -> i.name().equals(name));
    }

    @Override
    public List<MediaImage> list() {
        return store.list(TYPE, MediaImage.class);
    }

    @Override
    public List<MediaImage> list(AuthenticatedUser caller) {
        return visibility.filter(list(), caller, MediaImage::owner, MediaImage::group);
    }

    @Override
    public MediaImage get(String idOrName, AuthenticatedUser caller) {
        MediaImage medium = get(idOrName);
        return visibility.require(medium, caller, medium.owner(), medium.group(),
                () -> SkiffException.notFound("media", "medium", idOrName));
    }

    @Override
    public MediaImage get(String idOrName) {
        if (idOrName == null || idOrName.isEmpty()) {
            throw SkiffException.invalid("media", "a medium (id or name) is required");
        }
        return store.get(TYPE, idOrName, MediaImage.class)
                .or(() -> list().stream().filter(i -> i.name().equals(idOrName)).findFirst())
                .orElseThrow(() -> SkiffException.notFound("media", "medium", idOrName));
    }

    @Override
    public MediaUploadResult upload(UploadSpec spec, InputStream content, AuthenticatedUser caller) {
        Names.require("name", spec.name());
        if (spec.format() != null && !spec.format().equals("iso")) {
            throw SkiffException.invalid("format", "media are ISO 9660 images (format iso); disk images go to /images");
        }
        ImageUpload.Expected expected = new ImageUpload.Expected(spec.sizeBytes(), spec.sha256(), "iso",
                UploadTask.MAX_BYTES);
        requireNewName(spec.name());
        String id = UUID.randomUUID().toString();
        String user = caller.name();
        TaskInfo task = upload(spec.name(), user, id, content, expected, facts -> {
            if (!facts.format().equals("iso")) {
                throw SkiffException.invalid("format", "the file is not an ISO 9660 image");
            }
            return new MediaImage(id, spec.name(), user, user, facts.sizeBytes(), facts.sha256(), clock.instant());
        });
        MediaImage medium = get(id);
        LOG.info("medium {} ({}) uploaded by {}: {} bytes, sha256 {}", medium.name(), id, user, medium.sizeBytes(),
                medium.sha256());
        return new MediaUploadResult(medium, task);
    }

    /**
     * Reserves the medium for an insert into an instance's media drive (before the cell fetches it): from now until
     * {@link #recordInserted} or {@link #release}, {@link #delete} refuses it. 404 {@code media} when it is gone.
     */
    public void reserve(String mediaId, String instanceId, String instanceName) {
        lock.locked(() -> {
            get(mediaId);
            inserting.computeIfAbsent(mediaId, k -> new HashMap<>()).put(instanceId, instanceName);
            return null;
        });
    }

    /** Gives back a reservation of {@link #reserve} (the insert failed or was undone); nothing when there is none. */
    public void release(String mediaId, String instanceId) {
        lock.locked(() -> {
            Map<String, String> byInstance = inserting.get(mediaId);
            if (byInstance != null) {
                byInstance.remove(instanceId);
                if (byInstance.isEmpty()) {
                    inserting.remove(mediaId);
                }
            }
            return null;
        });
    }

    /**
     * The insert's last step: under the same lock as {@link #delete}, {@code record} saves the instance record that
     * names the medium, then the reservation ends; so a delete sees the reservation or the record, never neither.
     */
    public void recordInserted(String mediaId, String instanceId, Runnable record) {
        lock.locked(() -> {
            get(mediaId); // cannot be gone while reserved; a missing reservation (a bug) still fails safe
            record.run();
            release(mediaId, instanceId);
            return null;
        });
    }

    /**
     * Refuses (409 {@code media}, naming them) while instances hold the medium in their media drives or an insert
     * into one has reserved it.
     */
    @Override
    public void delete(String idOrName, AuthenticatedUser caller) {
        MediaImage medium = get(idOrName, caller);
        lock.locked(() -> {
            List<String> users = store.list(InstanceRecord.TYPE, InstanceRecord.class).stream()
                    .filter(r -> medium.id().equals(r.spec().media())).map(r -> r.spec().name()).sorted().toList();
            if (!users.isEmpty()) {
                throw SkiffException.conflict("media", "medium '" + medium.name() + "' is in the media drive of "
                        + "instances " + String.join(", ", users) + " (eject it first)");
            }
            Map<String, String> pending = inserting.get(medium.id());
            if (pending != null && !pending.isEmpty()) {
                throw SkiffException.conflict("media", "medium '" + medium.name() + "' is being inserted into the "
                        + "media drive of instances " + String.join(", ", new TreeSet<>(pending.values()))
                        + " (wait for the insert, then eject it)");
            }
            store.delete(TYPE, medium.id());
            return null;
        });
        deleteQuietly(file(medium.id()));
        LOG.info("medium {} ({}) deleted", medium.name(), medium.id());
    }

    @Override
    public InputStream open(String id) {
        try {
            return Files.newInputStream(file(get(id).id()));
        } catch (IOException e) {
            throw new SkiffException(SkiffException.Kind.INTERNAL, "io", "medium file missing: " + e, null);
        }
    }

    @Override
    public boolean redeemTransferToken(String id, String token) {
        return super.redeemTransferToken(id, token);
    }

    /** @return the medium's file on the Core's host */
    @Override
    public Path file(String id) {
        return dir.resolve(id + ".iso");
    }
}
