package io.skiff.api.task;

/** What a step does with its context: take its resource, or give it back. */
@FunctionalInterface
public interface StepAction {

    /**
     * @param context where the step records what it took, or reads what was recorded
     * @throws Exception when the step fails
     */
    void run(StepContext context) throws Exception;
}
