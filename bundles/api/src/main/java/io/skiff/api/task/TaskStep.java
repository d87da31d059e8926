package io.skiff.api.task;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * One step of a task: something that takes a resource ({@link #apply}) and can give it back ({@link #undo}).
 * Undo must tolerate a resource that was never (fully) taken, because after a crash it is called for the
 * step that was applying when the Core stopped.
 */
public interface TaskStep {

    /** @return display name, e.g. {@code create volume} */
    String name();

    /**
     * @return key of the {@link UndoHandler} that can undo this step from its recorded data after a restart
     *     of the Core, when this object no longer exists
     */
    String kind();

    /**
     * Takes the resource.
     *
     * @param context where to record what is taken and report progress
     * @throws Exception when the step fails; the engine then undoes the steps applied before
     */
    void apply(StepContext context) throws Exception;

    /**
     * Takes the resource without holding the engine's thread while another party works (a cell, a remote service):
     * the engine goes on with other tasks and continues this one when the stage completes. The engine calls this
     * method; the default runs {@link #apply} on the calling thread (since version 0.5 of this package).
     *
     * @param context where to record what is taken and report progress
     * @return a stage completed when the resource is taken, or exceptionally when the step failed (the engine then
     *     undoes it and the steps before it); a stage that does not complete within the engine's step time-out
     *     fails the step
     */
    default CompletionStage<Void> applyAsync(StepContext context) {
        try {
            apply(context);
            return CompletableFuture.completedFuture(null);
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Gives the resource back.
     *
     * @param context carries the data recorded during {@link #apply}
     * @throws Exception when the resource could not be given back (the task is marked accordingly)
     */
    void undo(StepContext context) throws Exception;

    /**
     * @return a step called {@code name} of kind {@code kind} that takes its resource asynchronously with
     *     {@code apply} ({@link #applyAsync}; its {@link #apply} waits for the stage), undone by {@code undo}
     *     (since version 0.5 of this package)
     */
    static TaskStep ofAsync(String name, String kind, AsyncStepAction apply, StepAction undo) {
        Objects.requireNonNull(apply, "apply");
        Objects.requireNonNull(undo, "undo");
        return new TaskStep() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String kind() {
                return kind;
            }

            @Override
            public void apply(StepContext context) throws Exception {
                try {
                    applyAsync(context).toCompletableFuture().get();
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
            }

            @Override
            public CompletionStage<Void> applyAsync(StepContext context) {
                try {
                    CompletionStage<Void> stage = apply.run(context);
                    return stage == null ? CompletableFuture.completedFuture(null) : stage;
                } catch (CompletionException e) {
                    return CompletableFuture.failedFuture(e.getCause() == null ? e : e.getCause());
                } catch (Exception e) {
                    return CompletableFuture.failedFuture(e);
                }
            }

            @Override
            public void undo(StepContext context) throws Exception {
                undo.run(context);
            }
        };
    }

    /** @return a step called {@code name} of kind {@code kind}, doing {@code apply}, undone by {@code undo} */
    static TaskStep of(String name, String kind, StepAction apply, StepAction undo) {
        Objects.requireNonNull(apply, "apply");
        return ofAsync(name, kind, context -> {
            apply.run(context);
            return CompletableFuture.completedFuture(null);
        }, undo);
    }
}
