package io.skiff.core.internal.image;

import io.skiff.api.model.TaskInfo;
import io.skiff.api.service.SkiffException;
import io.skiff.api.state.StateStore;
import io.skiff.api.task.TaskEngine;
import io.skiff.api.task.UndoHandler;
import io.skiff.core.internal.InventoryLock;
import io.skiff.core.internal.Visibility;
import io.skiff.tokens.TokenPolicy;
import io.skiff.tokens.TokenStore;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;

/**
 * What the image and the media catalogue share: records of one state-store type with unique names, files in one
 * directory, uploads as tasks with an undo handler for a Core that restarted half-way, and one-time tokens that let a
 * cell download a file; and who may see a record ({@link Visibility}).
 */
abstract class FileCatalog {
    private static final Logger LOG = LoggerFactory.getLogger(FileCatalog.class);

    final StateStore store;
    final InventoryLock lock;
    final TaskEngine engine;
    final Path dir;
    final Clock clock;
    final Visibility visibility;
    private final String type;
    private final String noun;
    private final String uploadKind;
    private final UndoHandler undo;
    private final TokenStore<String> tokens;
    private ServiceRegistration<UndoHandler> undoRegistration;

    /**
     * @param type the state-store type of the records (also the task resource prefix)
     * @param noun what a record is called in messages ({@code image}, {@code medium})
     * @param uploadKind the task name and step kind of uploads
     */
    FileCatalog(String type, String noun, String uploadKind, StateStore store, InventoryLock lock, TaskEngine engine,
                Path dir, Clock clock, Visibility visibility) {
        this.type = type;
        this.noun = noun;
        this.uploadKind = uploadKind;
        this.store = store;
        this.lock = lock;
        this.engine = engine;
        this.dir = dir;
        this.clock = clock;
        this.visibility = visibility;
        this.tokens = new TokenStore<>(clock, TokenPolicy.once(Duration.ofMinutes(30)).withRandomBytes(24));
        this.undo = UploadTask.undoHandler(uploadKind, id -> store.delete(type, id));
        UploadTask.removePartials(dir);
    }

    /** @return {@code <karaf.data>/skiff/<name>} */
    static Path dataDir(String name) {
        return Path.of(System.getProperty("karaf.data", "data"), "skiff", name);
    }

    /**
     * Registers the undo handler as a plain service: the task engine binds undo handlers while it activates, and a
     * catalogue needs the engine (a DS cycle otherwise).
     */
    void registerUndo(BundleContext context) {
        undoRegistration = context.registerService(UndoHandler.class, undo, null);
    }

    void unregisterUndo() {
        if (undoRegistration != null) {
            undoRegistration.unregister();
            undoRegistration = null;
        }
    }

    /** @return the handler that rolls back an upload interrupted by a restart */
    public UndoHandler undoHandler() {
        return undo;
    }

    /** @return whether a record of this catalogue has that name */
    abstract boolean nameTaken(String name);

    /** @return the file of a record */
    abstract Path file(String id);

    /** Refuses (409 {@code name}) a name that a record already has. */
    void requireNewName(String name) {
        if (nameTaken(name)) {
            throw SkiffException.conflict("name", noun + " '" + name + "' already exists");
        }
    }

    /** Stores a new record under the lock, unless its name was taken in the meantime. */
    void putUnique(String name, String id, Object record) {
        lock.locked(() -> {
            requireNewName(name);
            store.put(type, id, record);
            return null;
        });
    }

    /**
     * Receives an upload into {@code file(id)} as a task (receive, register), and waits for it.
     *
     * @param toRecord checks what arrived and makes the record (throws naming the field at fault)
     */
    TaskInfo upload(String name, String user, String id, InputStream content, ImageUpload.Expected expected,
                    Function<ImageFiles.Facts, Object> toRecord) {
        return UploadTask.run(engine, uploadKind, type + ":" + name, user, id, content, file(id), expected,
                facts -> putUnique(name, id, toRecord.apply(facts)), rid -> store.delete(type, rid), uploadKind);
    }

    /** @return a one-time token a cell presents to download the file of a record */
    public String transferToken(String id) {
        return tokens.issue(id).token();
    }

    /** @return whether the token was valid for this record; it is spent either way */
    public boolean redeemTransferToken(String id, String token) {
        return tokens.redeem(token).accepted().filter(id::equals).isPresent();
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", file, e.toString());
        }
    }
}
