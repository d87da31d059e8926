package io.skiff.api.task;

import java.util.Map;

/**
 * What a step sees while it applies or undoes. A step records what it takes <em>before</em> taking it
 * ({@link #record}), so that its undo can release it even after a crash of the Core.
 */
public interface StepContext {

    /** @return the id of the task this step belongs to */
    String taskId();

    /** @return the data recorded so far by this step (read-only view) */
    Map<String, String> data();

    /**
     * Records a fact about a resource this step takes; journaled durably before this method returns.
     *
     * @param key name of the fact, e.g. {@code volume}
     * @param value its value, e.g. the volume's path
     */
    void record(String key, String value);

    /**
     * Records several facts at once, journaled durably (in one entry, where the engine can) before this method
     * returns (since version 0.5 of this package).
     *
     * @param facts names and values, as for {@link #record(String, String)}
     */
    default void record(Map<String, String> facts) {
        facts.forEach(this::record);
    }

    /**
     * Reports progress within this step.
     *
     * @param percent 0 to 100 within the step
     * @param message what is happening, in words
     */
    void progress(int percent, String message);
}
