package io.skiff.api.task;

import java.util.Objects;

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
     * Gives the resource back.
     *
     * @param context carries the data recorded during {@link #apply}
     * @throws Exception when the resource could not be given back (the task is marked accordingly)
     */
    void undo(StepContext context) throws Exception;

    /** @return a step called {@code name} of kind {@code kind}, doing {@code apply}, undone by {@code undo} */
    static TaskStep of(String name, String kind, StepAction apply, StepAction undo) {
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
                apply.run(context);
            }

            @Override
            public void undo(StepContext context) throws Exception {
                undo.run(context);
            }
        };
    }
}
