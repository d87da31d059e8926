package io.skiff.core.internal.task;

import io.skiff.api.model.StepState;
import io.skiff.api.model.TaskInfo;
import io.skiff.api.model.TaskState;
import io.skiff.api.task.StepContext;
import io.skiff.api.task.UndoHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import static io.skiff.core.internal.task.JournaledTaskEngine.RESTART_ERROR;
import static io.skiff.core.internal.task.JournaledTaskEngine.UNDO_ATTEMPTS;
import static io.skiff.core.internal.task.JournaledTaskEngine.UNDO_ERROR;
import static io.skiff.core.internal.task.JournaledTaskEngine.UNDO_NEXT_ATTEMPT;

/**
 * The rollback of a {@link JournaledTaskEngine}'s task: undoes, last first, every step that took (or may have taken)
 * something, by the live step while the task's objects exist and by the {@link UndoHandler} of the step's kind after a
 * restart. A failed undo is tried again after the {@link UndoRetryPolicy}'s delay (the caller schedules it; no thread
 * waits); when the policy gives up, the task ends {@code ROLLBACK_FAILED} naming what is left and where.
 */
final class TaskRollback {
    /** Its lines are the engine's: one logger for what happens to tasks. */
    private static final Logger LOG = LoggerFactory.getLogger(JournaledTaskEngine.class);
    /** Separates a task's own error from what its failed rollback adds to it. */
    private static final String UNDO_FAILURE_MARK = "; undo of ";

    private final TaskJournal journal;
    private final UndoHandlers undoHandlers;
    private final Clock clock;
    private final BooleanSupplier closing;
    private volatile Duration handlerWait = Duration.ZERO;
    private volatile UndoRetryPolicy retryPolicy = UndoRetryPolicy.DEFAULT;
    private volatile Consumer<TaskInfo> rollbackFailedListener = info -> { };

    /** @param closing whether the engine is stopping (an undo then abandons the task to the restart rollback) */
    TaskRollback(TaskJournal journal, UndoHandlers undoHandlers, Clock clock, BooleanSupplier closing) {
        this.journal = journal;
        this.undoHandlers = undoHandlers;
        this.clock = clock;
        this.closing = closing;
    }

    void awaitUndoHandlers(Duration wait) {
        this.handlerWait = wait;
    }

    void undoRetryPolicy(UndoRetryPolicy policy) {
        this.retryPolicy = Objects.requireNonNull(policy, "policy");
    }

    void onRollbackFailed(Consumer<TaskInfo> listener) {
        this.rollbackFailedListener = Objects.requireNonNull(listener, "listener");
    }

    /** Starts the rollback of a task whose step {@code failedIndex} failed. */
    Optional<Duration> afterFailure(TaskRun run, int failedIndex, Throwable cause) {
        // an interrupt that made the step fail must not make its undo fail as well
        Thread.interrupted();
        int total = run.steps.size();
        String error = "step " + (failedIndex + 1) + "/" + total + " '" + run.steps.get(failedIndex).name
                + "' failed: " + TaskAbandoned.describe(cause);
        LOG.warn("task {} {}; rolling back", run.id, error, cause);
        run.rollbackError = error;
        run.rollbackStartedNanos = System.nanoTime();
        journal.persist(run, r -> {
            r.state = TaskState.ROLLING_BACK;
            r.error = error;
            r.message = "rolling back";
        });
        return resume(run);
    }

    /** Starts the rollback of a task a previous run of the engine left unfinished. */
    Optional<Duration> afterRestart(TaskRun run) {
        String previous = run.error;
        run.rollbackError = previous == null || previous.startsWith(RESTART_ERROR) ? RESTART_ERROR
                : RESTART_ERROR + " (before: " + previous + ")";
        run.rollbackStartedNanos = System.nanoTime();
        journal.persist(run, r -> {
            r.state = TaskState.ROLLING_BACK;
            r.message = "rolling back after restart";
        });
        LOG.warn("task {} rolling back after restart: {}", run.id, run.name);
        return resume(run);
    }

    /**
     * Undoes, last first, every step that took (or may have taken) something and is not undone yet.
     *
     * @return the delay after which to continue, when an undo failed and is to be tried again; empty when the
     *     task has ended
     */
    Optional<Duration> resume(TaskRun run) {
        Thread.interrupted();
        for (int j = run.steps.size() - 1; j >= 0; j--) {
            TaskRun.StepRun step = run.steps.get(j);
            if (step.state != StepState.APPLYING && step.state != StepState.APPLIED
                    && step.state != StepState.UNDOING) {
                continue;
            }
            int index = j;
            journal.persist(run, r -> {
                step.state = StepState.UNDOING;
                r.message = "undoing " + step.name;
            });
            try {
                undoAction(run, index).undo(new TaskStepContext(journal, run, index));
            } catch (Throwable t) {
                TaskAbandoned.rethrowIfFatal(t);
                TaskAbandoned.ifJournalOrEngineDown(run, t, closing.getAsBoolean());
                Optional<Duration> retry = undoFailed(run, index, t);
                if (retry.isPresent()) {
                    return retry;
                }
                return Optional.empty();
            }
            journal.persist(run, r -> step.state = StepState.UNDONE);
            LOG.debug("task {} step {} '{}' undone", run.id, index + 1, step.name);
        }
        journal.finish(run, TaskState.FAILED, run.rollbackError, "rolled back");
        LOG.info("task {} failed and is rolled back: {}", run.id, run.rollbackError);
        return Optional.empty();
    }

    private UndoAction undoAction(TaskRun run, int index) {
        if (!run.recovered()) {
            return run.liveSteps.get(index)::undo;
        }
        String kind = run.steps.get(index).kind;
        Optional<UndoHandler> handler = undoHandlers.find(kind);
        if (handler.isEmpty()) {
            throw new UndoRetryPolicy.MissingUndoHandler(kind);
        }
        return handler.get()::undo;
    }

    /** Journals a failed undo: either when it is tried again, or that the rollback has given up on it. */
    private Optional<Duration> undoFailed(TaskRun run, int index, Throwable t) {
        TaskRun.StepRun step = run.steps.get(index);
        int attempt = run.undoAttempts.merge(index, 1, Integer::sum);
        String failure = "undo of step " + (index + 1) + " '" + step.name + "' failed: " + TaskAbandoned.describe(t);
        Optional<Duration> delay = retryPolicy.nextDelay(t, attempt);
        if (t instanceof UndoRetryPolicy.MissingUndoHandler
                && System.nanoTime() - run.rollbackStartedNanos > handlerWait.toNanos()) {
            delay = Optional.empty();
        }
        if (delay.isPresent()) {
            Instant next = clock.instant().plus(delay.get());
            LOG.warn("task {} {} (attempt {}); next attempt at {}", run.id, failure, attempt, next);
            journal.persist(run, r -> {
                step.data.put(UNDO_ATTEMPTS, Integer.toString(attempt));
                step.data.put(UNDO_ERROR, TaskAbandoned.describe(t));
                step.data.put(UNDO_NEXT_ATTEMPT, next.toString());
                r.message = failure + "; attempt " + (attempt + 1) + " at " + next;
            });
            return delay;
        }
        LOG.error("task {} {} (attempt {}); the rollback gives up", run.id, failure, attempt, t);
        journal.persist(run, r -> {
            step.state = StepState.UNDO_FAILED;
            step.data.put(UNDO_ATTEMPTS, Integer.toString(attempt));
            step.data.put(UNDO_ERROR, TaskAbandoned.describe(t));
            step.data.remove(UNDO_NEXT_ATTEMPT);
        });
        String error = run.rollbackError + UNDO_FAILURE_MARK + failure.substring("undo of ".length()) + "; "
                + leftInPlace(run, index);
        journal.finish(run, TaskState.ROLLBACK_FAILED, error, "rollback failed: retry it once the cause is fixed");
        LOG.error("task {} ROLLBACK_FAILED: {}", run.id, error);
        try {
            rollbackFailedListener.accept(run.view());
        } catch (RuntimeException e) {
            LOG.warn("task {}: the rollback-failed listener failed: {}", run.id, e.toString());
        }
        return Optional.empty();
    }

    /** The task's own error, without what its failed rollback added ({@link #undoFailed}). */
    static String errorBeforeUndoFailure(String error) {
        if (error == null) {
            return "rollback retried";
        }
        int mark = error.indexOf(UNDO_FAILURE_MARK);
        return mark < 0 ? error : error.substring(0, mark);
    }

    /** Names the steps still holding what they took, with what they recorded (where it is). */
    private static String leftInPlace(TaskRun run, int failedIndex) {
        List<String> left = new ArrayList<>();
        synchronized (run) {
            for (int j = failedIndex; j >= 0; j--) {
                TaskRun.StepRun step = run.steps.get(j);
                if (step.state == StepState.UNDONE || step.state == StepState.PENDING) {
                    continue;
                }
                Map<String, String> facts = new LinkedHashMap<>(step.data);
                facts.keySet().removeIf(k -> k.startsWith("undo"));
                left.add("step " + (j + 1) + " '" + step.name + "'" + (facts.isEmpty() ? "" : " " + facts));
            }
        }
        return "left in place: " + String.join(", ", left);
    }

    @FunctionalInterface
    private interface UndoAction {
        void undo(StepContext context) throws Exception;
    }
}
