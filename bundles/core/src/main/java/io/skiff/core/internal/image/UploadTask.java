package io.skiff.core.internal.image;

import io.skiff.api.model.TaskInfo;
import io.skiff.api.model.TaskState;
import io.skiff.api.service.SkiffException;
import io.skiff.api.task.StepAction;
import io.skiff.api.task.StepContext;
import io.skiff.api.task.TaskEngine;
import io.skiff.api.task.TaskRequest;
import io.skiff.api.task.TaskStep;
import io.skiff.api.task.UndoHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs an upload as a task of two steps — receive the stream into the catalogue's file (progress follows the bytes),
 * then register the record — and waits for it. Undo removes the file and the record; after a crash of the Core the
 * catalogue's {@link UndoHandler} does the same from the recorded data. A step's {@link SkiffException} (the field
 * at fault) reaches the caller as it was thrown.
 */
final class UploadTask {
    /** The largest upload accepted (1 TiB). */
    static final long MAX_BYTES = 1L << 40;
    private static final Logger LOG = LoggerFactory.getLogger(UploadTask.class);

    interface Register {
        void run(ImageFiles.Facts facts);
    }

    interface Unregister {
        void run(String id);
    }

    private UploadTask() {
    }

    static TaskInfo run(TaskEngine engine, String taskName, String resource, String user, String id,
                        InputStream content, Path target, ImageUpload.Expected expected, Register register,
                        Unregister unregister, String kind) {
        AtomicReference<ImageFiles.Facts> facts = new AtomicReference<>();
        AtomicReference<SkiffException> failure = new AtomicReference<>();
        TaskStep receive = step("receive content", ctx -> {
            ctx.record("file", target.toString());
            facts.set(ImageUpload.receive(content, target, expected, (bytes, total) -> ctx.progress(
                    total > 0 ? (int) Math.min(100, bytes * 100 / total) : 0,
                    bytes + (total > 0 ? " of " + total : "") + " bytes received")));
        }, ctx -> deleteFile(ctx), failure, kind);
        TaskStep record = step("register", ctx -> {
            ctx.record("id", id);
            register.run(facts.get());
        }, ctx -> {
            String recorded = ctx.data().get("id");
            if (recorded != null) {
                unregister.run(recorded);
            }
        }, failure, kind);
        TaskInfo task = engine.submit(new TaskRequest(taskName, Set.of(resource), user, List.of(receive, record)));
        TaskInfo done;
        try {
            done = engine.completion(task.id()).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SkiffException(SkiffException.Kind.INTERNAL, "interrupted", "interrupted while uploading", null);
        } catch (ExecutionException e) {
            throw new SkiffException(SkiffException.Kind.INTERNAL, "task", "upload task failed: " + e.getCause(),
                    null);
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        if (done.state() != TaskState.SUCCEEDED) {
            throw new SkiffException(SkiffException.Kind.INTERNAL, "task", "upload task " + done.id() + " "
                    + done.state().name().toLowerCase() + ": " + done.error(), "content");
        }
        return done;
    }

    /** Undoes both steps after a restart: the file and the record are whatever the steps recorded. */
    static UndoHandler undoHandler(String kind, Unregister unregister) {
        return UndoHandler.of(kind, context -> {
            deleteFile(context);
            String id = context.data().get("id");
            if (id != null) {
                unregister.run(id);
            }
        });
    }

    /** Removes partial files a crash left behind. */
    static void removePartials(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var files = Files.list(dir)) {
            files.filter(f -> f.getFileName().toString().endsWith(".partial")).forEach(f -> {
                try {
                    Files.deleteIfExists(f);
                    LOG.info("removed partial upload {}", f);
                } catch (IOException e) {
                    LOG.warn("could not remove {}: {}", f, e.toString());
                }
            });
        } catch (IOException e) {
            LOG.warn("could not list {}: {}", dir, e.toString());
        }
    }

    private static void deleteFile(StepContext ctx) throws IOException {
        String file = ctx.data().get("file");
        if (file != null) {
            Path path = Path.of(file);
            Files.deleteIfExists(path);
            Files.deleteIfExists(path.resolveSibling(path.getFileName() + ".partial"));
        }
    }

    /**
     * @return a step of the upload: what {@code apply} fails with is kept in {@code failure} (the upload's answer), a
     *     broken stream as INVALID {@code content}
     */
    private static TaskStep step(String name, StepAction apply, StepAction undo, AtomicReference<SkiffException> failure,
                                 String kind) {
        return TaskStep.of(name, kind, context -> {
            try {
                apply.run(context);
            } catch (SkiffException e) {
                failure.compareAndSet(null, e);
                throw e;
            } catch (IOException e) {
                SkiffException wrapped = SkiffException.invalid("content", "the upload broke off: " + e);
                failure.compareAndSet(null, wrapped);
                LOG.info("upload broke off: {}", e.toString());
                throw wrapped;
            }
        }, undo);
    }
}
