package io.skiff.core.internal.image;

import io.skiff.api.model.DiskImage;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.ImageService;
import io.skiff.api.service.SkiffException;
import io.skiff.api.model.TaskInfo;
import io.skiff.api.service.ImageUploadResult;
import io.skiff.api.service.UploadSpec;
import io.skiff.api.state.StateStore;
import io.skiff.api.task.TaskEngine;
import io.skiff.core.internal.InventoryLock;
import io.skiff.core.internal.Names;
import io.skiff.core.internal.Visibility;
import io.skiff.core.internal.instance.InstanceRecord;
import org.osgi.framework.BundleContext;
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
 * The Core's catalogue of disk images: records in the state store (type {@value #TYPE}), files under
 * {@code data/skiff/images}. Cells fetch image files over HTTP with one-time tokens.
 */
@Component(service = {ImageService.class, ImageCatalog.class})
public class ImageCatalog extends FileCatalog implements ImageService {
    public static final String TYPE = "image";
    private static final Logger LOG = LoggerFactory.getLogger(ImageCatalog.class);

    /** The undo handler is registered here, not as a DS service (see {@link FileCatalog#registerUndo}). */
    @Activate
    public ImageCatalog(@Reference StateStore store, @Reference InventoryLock lock, @Reference TaskEngine engine,
                        @Reference Visibility visibility, BundleContext context) {
        this(store, lock, engine, dataDir("images"), Clock.systemUTC(), visibility);
        registerUndo(context);
    }

    @Deactivate
    void deactivate() {
        unregisterUndo();
    }

    /** Without OSGi and without an identity service: every image is visible. */
    public ImageCatalog(StateStore store, InventoryLock lock, TaskEngine engine, Path dir, Clock clock) {
        this(store, lock, engine, dir, clock, new Visibility(() -> null));
    }

    public ImageCatalog(StateStore store, InventoryLock lock, TaskEngine engine, Path dir, Clock clock,
                        Visibility visibility) {
        super(TYPE, "image", "image.upload", store, lock, engine, dir, clock, visibility);
    }

    @Override
    boolean nameTaken(String name) {
        return list().stream().anyMatch(i -> i.name().equals(name));
    }

    /** A capture the Core expects from a cell: what to register when the upload with its token arrives. */
    private record Pending(String token, String name, List<String> tags, String user, String group,
                           ImageUpload.Progress progress) {
    }

    private final java.util.Map<String, Pending> pending = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Expects the upload of a captured disk: the cell presents the returned one-time token.
     *
     * @param progress told as the bytes arrive
     * @return the token
     */
    public String expectCapture(String imageId, String name, List<String> tags, AuthenticatedUser caller,
                                ImageUpload.Progress progress) {
        String token = UUID.randomUUID().toString() + UUID.randomUUID();
        pending.put(imageId, new Pending(token, name, List.copyOf(tags), caller.name(), visibility.groupOf(caller),
                progress));
        return token;
    }

    /** Forgets an expected capture, and removes the image if it arrived (undo of a capture). */
    public void abandonCapture(String imageId) {
        pending.remove(imageId);
        if (store.get(TYPE, imageId, DiskImage.class).isPresent()) {
            store.delete(TYPE, imageId);
        }
        deleteQuietly(file(imageId));
    }

    @Override
    public boolean expectsCapture(String imageId, String token) {
        Pending p = pending.get(imageId);
        return p != null && p.token().equals(token);
    }

    /**
     * Receives a captured disk from a cell (token checked by {@link #expectsCapture}): streamed, checked as a
     * standalone qcow2, then registered.
     */
    @Override
    public DiskImage receiveCapture(String imageId, String token, long sizeBytes, InputStream content) {
        Pending p = pending.get(imageId);
        if (p == null || !p.token().equals(token)) {
            throw new SkiffException(SkiffException.Kind.FORBIDDEN, "forbidden", "no capture expected with this token",
                    null);
        }
        pending.remove(imageId);
        ImageFiles.Facts facts;
        try {
            facts = ImageUpload.receive(content, file(imageId), new ImageUpload.Expected(sizeBytes, null, "qcow2",
                    UploadTask.MAX_BYTES), p.progress());
        } catch (IOException e) {
            throw SkiffException.invalid("content", "the capture broke off: " + e);
        }
        DiskImage image = new DiskImage(imageId, p.name(), p.user(), p.group(), facts.format(), facts.sizeBytes(),
                facts.virtualSizeBytes(), facts.sha256(), p.tags(), clock.instant());
        try {
            putUnique(p.name(), imageId, image);
        } catch (RuntimeException e) {
            deleteQuietly(file(imageId));
            throw e;
        }
        LOG.info("image {} ({}) captured from an instance: {} bytes, sha256 {}", p.name(), imageId,
                facts.sizeBytes(), facts.sha256());
        return image;
    }

    @Override
    public ImageUploadResult upload(UploadSpec spec, InputStream content, AuthenticatedUser caller) {
        Names.require("name", spec.name());
        for (String tag : spec.tags()) {
            Names.require("tags", tag);
        }
        if ("iso".equals(spec.format())) {
            throw SkiffException.invalid("format", "ISO files are media: upload them to /media");
        }
        ImageUpload.Expected expected = new ImageUpload.Expected(spec.sizeBytes(), spec.sha256(), spec.format(),
                UploadTask.MAX_BYTES);
        requireNewName(spec.name());
        String id = UUID.randomUUID().toString();
        String user = caller.name();
        String group = visibility.groupOf(caller);
        TaskInfo task = upload(spec.name(), user, id, content, expected, facts -> {
            if (facts.format().equals("iso")) {
                throw SkiffException.invalid("format", "the file is an ISO 9660 image: upload it to /media");
            }
            return new DiskImage(id, spec.name(), user, group, facts.format(), facts.sizeBytes(),
                    facts.virtualSizeBytes(), facts.sha256(), spec.tags(), clock.instant());
        });
        DiskImage image = get(id);
        LOG.info("image {} ({}) uploaded by {}: {} bytes, {}, sha256 {}", image.name(), id, user, image.sizeBytes(),
                image.format(), image.sha256());
        return new ImageUploadResult(image, task);
    }

    @Override
    public List<DiskImage> list() {
        return store.list(TYPE, DiskImage.class);
    }

    @Override
    public List<DiskImage> list(AuthenticatedUser caller) {
        return visibility.filter(list(), caller, DiskImage::owner, DiskImage::group);
    }

    @Override
    public DiskImage get(String idOrName, AuthenticatedUser caller) {
        DiskImage image = get(idOrName);
        return visibility.require(image, caller, image.owner(), image.group(),
                () -> SkiffException.notFound("image", "image", idOrName));
    }

    @Override
    public DiskImage get(String idOrName) {
        if (idOrName == null || idOrName.isEmpty()) {
            throw SkiffException.invalid("image", "image is required");
        }
        return store.get(TYPE, idOrName, DiskImage.class)
                .or(() -> list().stream().filter(i -> i.name().equals(idOrName)).findFirst())
                .orElseThrow(() -> SkiffException.notFound("image", "image", idOrName));
    }

    @Override
    public DiskImage importFile(String name, String path, AuthenticatedUser caller) {
        Names.require("name", name);
        if (path == null || path.isBlank()) {
            throw SkiffException.invalid("path", "path is required");
        }
        Path source = Path.of(path);
        if (!source.isAbsolute() || !Files.isRegularFile(source) || !Files.isReadable(source)) {
            throw SkiffException.invalid("path", "'" + path + "' is not a readable file on the Core's host");
        }
        requireNewName(name);
        String id = UUID.randomUUID().toString();
        Path target = file(id);
        ImageFiles.Facts facts;
        try {
            facts = ImageFiles.copy(source, target);
        } catch (IOException e) {
            throw new SkiffException(SkiffException.Kind.INTERNAL, "io", "could not copy '" + path + "': " + e, "path");
        }
        DiskImage image = new DiskImage(id, name, caller.name(), visibility.groupOf(caller), facts.format(),
                facts.sizeBytes(), facts.virtualSizeBytes(), facts.sha256(), List.of(), clock.instant());
        try {
            putUnique(name, id, image);
        } catch (RuntimeException e) {
            deleteQuietly(target);
            throw e;
        }
        LOG.info("image {} ({}) imported from {}: {} bytes, {}", name, id, path, facts.sizeBytes(), facts.format());
        return image;
    }

    @Override
    public void delete(String idOrName, AuthenticatedUser caller) {
        DiskImage image = get(idOrName, caller);
        lock.locked(() -> {
            List<String> users = store.list(InstanceRecord.TYPE, InstanceRecord.class).stream()
                    .filter(r -> r.usesImage(image.id())).map(r -> r.spec().name()).toList();
            if (!users.isEmpty()) {
                throw SkiffException.conflict("image", "image '" + image.name() + "' has linked clones: instances "
                        + String.join(", ", users) + " depend on it (delete them first)");
            }
            store.delete(TYPE, image.id());
            return null;
        });
        deleteQuietly(file(image.id()));
        LOG.info("image {} ({}) deleted", image.name(), image.id());
    }

    @Override
    public InputStream open(String id) {
        try {
            return Files.newInputStream(file(get(id).id()));
        } catch (IOException e) {
            throw new SkiffException(SkiffException.Kind.INTERNAL, "io", "image file missing: " + e, null);
        }
    }

    @Override
    public boolean redeemTransferToken(String imageId, String token) {
        return super.redeemTransferToken(imageId, token);
    }

    @Override
    Path file(String id) {
        return dir.resolve(id + ".img");
    }
}
