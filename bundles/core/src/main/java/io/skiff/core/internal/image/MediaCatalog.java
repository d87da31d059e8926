package io.skiff.core.internal.image;

import io.skiff.api.model.MediaImage;
import io.skiff.api.model.TaskInfo;
import io.skiff.api.service.MediaService;
import io.skiff.api.service.MediaUploadResult;
import io.skiff.api.service.SkiffException;
import io.skiff.api.service.UploadSpec;
import io.skiff.api.state.StateStore;
import io.skiff.api.task.TaskEngine;
import io.skiff.api.task.UndoHandler;
import io.skiff.core.internal.InventoryLock;
import io.skiff.core.internal.Names;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.UUID;

/**
 * The Core's catalogue of ISO media: records in the state store (type {@value #TYPE}), files under
 * {@code data/skiff/media}. Uploads are tasks whose progress follows the bytes (see {@link UploadTask}).
 */
@Component(service = {MediaService.class, MediaCatalog.class})
public class MediaCatalog implements MediaService {
    public static final String TYPE = "media";
    private static final Logger LOG = LoggerFactory.getLogger(MediaCatalog.class);
    private static final String KIND = "media.upload";

    private final StateStore store;
    private final InventoryLock lock;
    private final TaskEngine engine;
    private final Path dir;
    private final Clock clock;
    private final UndoHandler undo;

    private ServiceRegistration<UndoHandler> undoRegistration;

    /** The undo handler is registered here, not as a DS service (see {@link ImageCatalog}). */
    @Activate
    public MediaCatalog(@Reference StateStore store, @Reference InventoryLock lock, @Reference TaskEngine engine,
                        BundleContext context) {
        this(store, lock, engine, Path.of(System.getProperty("karaf.data", "data"), "skiff", "media"),
                Clock.systemUTC());
        undoRegistration = context.registerService(UndoHandler.class, undo, null);
    }

    @Deactivate
    void deactivate() {
        if (undoRegistration != null) {
            undoRegistration.unregister();
        }
    }

    /** @return the handler that rolls back an upload interrupted by a restart */
    public UndoHandler undoHandler() {
        return undo;
    }

    public MediaCatalog(StateStore store, InventoryLock lock, TaskEngine engine, Path dir, Clock clock) {
        this.store = store;
        this.lock = lock;
        this.engine = engine;
        this.dir = dir;
        this.clock = clock;
        this.undo = UploadTask.undoHandler(KIND, id -> store.delete(TYPE, id));
        UploadTask.removePartials(dir);
    }

    @Override
    public List<MediaImage> list() {
        return store.list(TYPE, MediaImage.class);
    }

    @Override
    public MediaImage get(String idOrName) {
        if (idOrName == null || idOrName.isEmpty()) {
            throw SkiffException.invalid("medium", "medium is required");
        }
        return store.get(TYPE, idOrName, MediaImage.class)
                .or(() -> list().stream().filter(i -> i.name().equals(idOrName)).findFirst())
                .orElseThrow(() -> SkiffException.notFound("medium", "medium", idOrName));
    }

    @Override
    public MediaUploadResult upload(UploadSpec spec, InputStream content, String user) {
        Names.require("name", spec.name());
        if (spec.format() != null && !spec.format().equals("iso")) {
            throw SkiffException.invalid("format", "media are ISO 9660 images (format iso); disk images go to /images");
        }
        ImageUpload.Expected expected = new ImageUpload.Expected(spec.sizeBytes(), spec.sha256(), "iso",
                UploadTask.MAX_BYTES);
        if (list().stream().anyMatch(i -> i.name().equals(spec.name()))) {
            throw SkiffException.conflict("name", "medium '" + spec.name() + "' already exists");
        }
        String id = UUID.randomUUID().toString();
        TaskInfo task = UploadTask.run(engine, KIND, "media:" + spec.name(), user, id, content, file(id), expected,
                facts -> {
                    if (!facts.format().equals("iso")) {
                        throw SkiffException.invalid("format", "the file is not an ISO 9660 image");
                    }
                    MediaImage medium = new MediaImage(id, spec.name(), user, user, facts.sizeBytes(), facts.sha256(),
                            clock.instant());
                    lock.locked(() -> {
                        if (list().stream().anyMatch(i -> i.name().equals(spec.name()))) {
                            throw SkiffException.conflict("name", "medium '" + spec.name() + "' already exists");
                        }
                        store.put(TYPE, id, medium);
                        return null;
                    });
                }, rid -> store.delete(TYPE, rid), KIND);
        MediaImage medium = get(id);
        LOG.info("medium {} ({}) uploaded by {}: {} bytes, sha256 {}", medium.name(), id, user, medium.sizeBytes(),
                medium.sha256());
        return new MediaUploadResult(medium, task);
    }

    @Override
    public void delete(String idOrName) {
        MediaImage medium = get(idOrName);
        lock.locked(() -> {
            store.delete(TYPE, medium.id());
            return null;
        });
        try {
            Files.deleteIfExists(file(medium.id()));
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", file(medium.id()), e.toString());
        }
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

    /** @return the medium's file on the Core's host */
    public Path file(String id) {
        return dir.resolve(id + ".iso");
    }
}
