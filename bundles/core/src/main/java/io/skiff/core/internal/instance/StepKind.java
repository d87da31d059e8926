package io.skiff.core.internal.instance;

import io.skiff.api.task.AsyncStepAction;
import io.skiff.api.task.StepAction;
import io.skiff.api.task.StepContext;
import io.skiff.api.task.TaskStep;
import io.skiff.api.task.UndoHandler;

import java.util.Map;

/**
 * One kind of task step, declared once: the steps it makes ({@link #step}) apply what their caller gives and undo
 * with this object's {@link #undo(Object)}; the same object, registered as the {@link UndoHandler} of its kind, undoes
 * such a step from its journaled data after a restart. So there is one undo per kind, whether the Core stopped or
 * not. Each kind reads its data, a small record of typed fields, from the step's string map in one place
 * ({@link #read}); a step records that data before it takes anything, so that the undo works after a crash.
 *
 * @param <D> the kind's step data
 */
abstract class StepKind<D> implements UndoHandler {
    private final String kind;

    StepKind(String kind) {
        this.kind = kind;
    }

    @Override
    public final String kind() {
        return kind;
    }

    /** @return this kind's data as recorded so far (what was not recorded yet is {@code null}) */
    abstract D read(Map<String, String> data);

    /**
     * Gives back what a step of this kind took, as far as its data says it took anything. Idempotent: what is already
     * given back counts as undone.
     */
    abstract void undo(D data) throws Exception;

    @Override
    public final void undo(StepContext context) throws Exception {
        undo(read(context.data()));
    }

    /** @return a step of this kind called {@code name}, doing {@code apply}, undone by this kind */
    final TaskStep step(String name, StepAction apply) {
        return TaskStep.of(name, kind, apply, this::undo);
    }

    /**
     * @return a step of this kind called {@code name} that works without holding the engine's thread
     *     ({@link TaskStep#applyAsync}), undone by this kind
     */
    final TaskStep stepAsync(String name, AsyncStepAction apply) {
        return TaskStep.ofAsync(name, kind, apply, this::undo);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + kind + "]";
    }
}
