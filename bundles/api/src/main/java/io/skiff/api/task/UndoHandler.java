package io.skiff.api.task;

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
}
