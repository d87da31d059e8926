package io.skiff.api.task;

import java.util.concurrent.CompletionStage;

/**
 * How a step takes its resource without holding a thread while another party works: it starts the work and returns
 * a stage that completes when the work is done (since version 0.5 of this package).
 */
@FunctionalInterface
public interface AsyncStepAction {

    /**
     * @param context where the step records what it takes (before taking it) and reports progress
     * @return a stage completed when the resource is taken, or exceptionally when the step failed
     * @throws Exception when the step fails before it has started its work
     */
    CompletionStage<Void> run(StepContext context) throws Exception;
}
