package io.skiff.api.task;

import java.util.Objects;

/**
 * Undoes steps of one kind from their recorded data alone. Registered as an OSGi service (or with
 * the engine directly) so that tasks interrupted by a crash are rolled back at start-up.
 */
public interface UndoHandler {

    /** @return the {@link TaskStep#kind()} this handler undoes */
    String kind();

    /**
     * Undoes one step.
     *
     * @param context carries the data the step recorded before the crash
     * @throws Exception when the resource could not be given back
     */
    void undo(StepContext context) throws Exception;

    /** @return the handler of steps of kind {@code kind}, undoing them with {@code undo} */
    static UndoHandler of(String kind, StepAction undo) {
        Objects.requireNonNull(undo, "undo");
        return new UndoHandler() {
            @Override
            public String kind() {
                return kind;
            }

            @Override
            public void undo(StepContext context) throws Exception {
                undo.run(context);
            }
        };
    }
}
