package io.skiff.core.internal.task;

import io.skiff.api.model.StepState;
import io.skiff.api.model.TaskInfo;
import io.skiff.api.model.TaskState;
import io.skiff.api.service.SkiffException;
import io.skiff.api.state.StateChange;
import io.skiff.api.state.StateStore;
import io.skiff.api.task.StepContext;
import io.skiff.api.task.TaskEngine;
import io.skiff.api.task.TaskRequest;
import io.skiff.api.task.TaskStep;
import io.skiff.api.task.UndoHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs tasks all-or-nothing on a pool of threads, journaling every transition in the {@link StateStore} (type
 * {@value #STATE_TYPE}, one {@link TaskInfo} per task) before it goes on.
 *
 * <ul>
 *   <li>Steps are applied in order. When one fails, the steps applied so far <em>and the failing one</em> (it may
 *       have taken part of its resource; its recorded data says what) are undone in reverse, and the task ends
 *       {@code FAILED} with an error naming the step and the cause.</li>
 *   <li>An undo never gives up on what waiting can cure: a failed undo is tried again after a delay chosen by the
 *       {@link UndoRetryPolicy} (a cell offline or not ready yet, a time-out, an undo handler not registered yet),
 *       while the task stays {@code ROLLING_BACK} with the reason and the time of the next attempt in its message and
 *       in the step's data ({@code undoAttempts}, {@code undoError}, {@code undoNextAttemptAt}). No engine thread
 *       waits meanwhile, and the task keeps its resources, so nothing else runs on them before it has given them
 *       back. Only when the policy gives up does the task end {@code ROLLBACK_FAILED}: the failed step is marked
 *       {@code UNDO_FAILED}, the steps before it are left as they are (undoing them out of order could lose track of
 *       what is still taken), the error says what is left and where, and {@link #retryRollback} tries again.
 *       Such tasks are kept beyond the retention of finished tasks until a retry ends them.</li>
 *   <li>Tasks sharing a resource key run one after the other in submission order; others run concurrently
 *       (see {@link ResourceQueues}).</li>
 *   <li>{@link #start()} rolls back the tasks a previous run left unfinished (also those waiting to retry an undo),
 *       through the {@link UndoHandler}s registered by step kind, before any new task on the same resources; they
 *       end {@code FAILED} with the error {@value #RESTART_ERROR}.</li>
 *   <li>If the journal itself fails, the engine stops working on the task (it cannot record what it does) and
 *       leaves it to that restart rollback.</li>
 *   <li>Progress reported inside a step is visible through {@link #get} at once but journaled only with the next
 *       transition.</li>
 * </ul>
 */
public final class JournaledTaskEngine implements TaskEngine, AutoCloseable {

    /** The state store type under which tasks are kept. */
    public static final String STATE_TYPE = "task";
    /** Step data: how many times its undo has been tried. */
    public static final String UNDO_ATTEMPTS = "undoAttempts";
    /** Step data: why its last undo attempt failed. */
    public static final String UNDO_ERROR = "undoError";
    /** Step data: when its undo is tried next. */
    public static final String UNDO_NEXT_ATTEMPT = "undoNextAttemptAt";
    /** Separates a task's own error from what its failed rollback adds to it. */
    private static final String UNDO_FAILURE_MARK = "; undo of ";
    /** The error of a task rolled back at start-up. */
    public static final String RESTART_ERROR = "rolled back after restart";
    private volatile Duration handlerWait = Duration.ZERO;
    private volatile UndoRetryPolicy retryPolicy = UndoRetryPolicy.DEFAULT;
    private volatile Consumer<TaskInfo> rollbackFailedListener = info -> { };
    public static final int DEFAULT_RETAIN_FINISHED = 1000;
    public static final Duration DEFAULT_STOP_WAIT = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(JournaledTaskEngine.class);
    private static final Comparator<TaskInfo> NEWEST_FIRST = Comparator.comparing(TaskInfo::createdAt,
            Comparator.nullsFirst(Comparator.<Instant>naturalOrder())).thenComparing(TaskInfo::id).reversed();

    private final StateStore store;
    private final Clock clock;
    private final int retainFinished;
    private final UndoHandlers undoHandlers;
    private final ExecutorService executor;
    /** Re-dispatches rollbacks whose undo waits for a retry. */
    private final ScheduledExecutorService retryTimer;
    private final ResourceQueues<TaskRun> queues = new ResourceQueues<>();
    private final Map<String, TaskRun> active = new ConcurrentHashMap<>();
    /** Finished tasks, oldest first, for retention. Guarded by itself. */
    private final TreeSet<Finished> finished = new TreeSet<>();
    private volatile boolean started;
    private volatile boolean closing;

    /**
     * An engine keeping {@value #DEFAULT_RETAIN_FINISHED} finished tasks, with its own {@link UndoHandlers}.
     *
     * @param store where tasks are journaled
     * @param threads how many tasks may run at once
     * @param clock source of the tasks' timestamps
     */
    public JournaledTaskEngine(StateStore store, int threads, Clock clock) {
        this(store, threads, clock, DEFAULT_RETAIN_FINISHED, new UndoHandlers());
    }

    /**
     * @param store where tasks are journaled
     * @param threads how many tasks may run at once
     * @param clock source of the tasks' timestamps
     * @param retainFinished how many finished tasks to keep; older ones are deleted from the store
     * @param undoHandlers the handlers used to roll back tasks left unfinished by a restart
     */
    public JournaledTaskEngine(StateStore store, int threads, Clock clock, int retainFinished,
                               UndoHandlers undoHandlers) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, not " + threads);
        }
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.retainFinished = Math.max(0, retainFinished);
        this.undoHandlers = Objects.requireNonNull(undoHandlers, "undoHandlers");
        this.executor = Executors.newFixedThreadPool(threads, new NamedThreads());
        this.retryTimer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "skiff-task-undo-retry");
            t.setDaemon(true);
            return t;
        });
    }

    /** @return the handlers this engine uses for start-up rollback; add to it before {@link #start()} */
    public UndoHandlers undoHandlers() {
        return undoHandlers;
    }

    /**
     * How long a rollback keeps retrying while no undo handler is registered for a step kind: in OSGi the bundles
     * that provide handlers may start after the engine.
     */
    public void awaitUndoHandlers(Duration wait) {
        this.handlerWait = wait;
    }

    /** Sets when failed undos are tried again; {@link UndoRetryPolicy#DEFAULT} unless set. */
    public void undoRetryPolicy(UndoRetryPolicy policy) {
        this.retryPolicy = Objects.requireNonNull(policy, "policy");
    }

    /** Called (on the engine's thread) with each task that ends {@code ROLLBACK_FAILED}, e.g. to log it. */
    public void onRollbackFailed(Consumer<TaskInfo> listener) {
        this.rollbackFailedListener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Loads the journaled tasks, queues the rollback of those left unfinished (ahead of any new task) and starts
     * accepting submissions.
     */
    public synchronized void start() {
        if (started) {
            return;
        }
        if (closing) {
            throw new IllegalStateException("task engine is stopped");
        }
        List<TaskInfo> unfinished = new ArrayList<>();
        for (TaskInfo info : store.list(STATE_TYPE, TaskInfo.class)) {
            if (info.state() == null || info.id() == null) {
                LOG.warn("ignoring stored task without id or state: {}", info);
            } else if (info.state() == TaskState.ROLLBACK_FAILED) {
                LOG.warn("task {} ({}) ended ROLLBACK_FAILED and waits for an operator: {}", info.id(), info.name(),
                        info.error());
            } else if (info.state().finished()) {
                synchronized (finished) {
                    finished.add(new Finished(info.finishedAt(), info.id()));
                }
            } else {
                unfinished.add(info);
            }
        }
        List<StateChange> expired = new ArrayList<>();
        synchronized (finished) {
            while (finished.size() > retainFinished) {
                expired.add(StateChange.delete(STATE_TYPE, finished.pollFirst().id()));
            }
        }
        if (!expired.isEmpty()) {
            store.commit(expired);
            LOG.info("dropped {} finished task(s) beyond the {} retained", expired.size(), retainFinished);
        }
        unfinished.sort(NEWEST_FIRST.reversed());
        started = true;
        for (TaskInfo info : unfinished) {
            TaskRun run = new TaskRun(info);
            LOG.warn("task {} ({}) was {} when the engine stopped; queued for rollback", run.id, run.name,
                    info.state());
            active.put(run.id, run);
            schedule(run);
        }
        LOG.info("task engine started: {} task(s) to roll back", unfinished.size());
    }

    @Override
    public TaskInfo submit(TaskRequest request) {
        Objects.requireNonNull(request, "request");
        if (!started) {
            throw new IllegalStateException("task engine is not started");
        }
        if (closing) {
            throw new IllegalStateException("task engine is stopping");
        }
        Objects.requireNonNull(request.name(), "task name");
        List<TaskStep> steps = request.steps() == null ? List.of() : request.steps();
        for (TaskStep step : steps) {
            Objects.requireNonNull(step, "task step");
        }
        Set<String> resources = new LinkedHashSet<>();
        if (request.resources() != null) {
            for (String key : request.resources()) {
                resources.add(Objects.requireNonNull(key, "resource key"));
            }
        }
        TaskRun run = new TaskRun(UUID.randomUUID().toString(), request.name(), resources, request.user(),
                clock.instant(), steps);
        TaskInfo queued;
        synchronized (run) {
            queued = run.snapshot();
            store.put(STATE_TYPE, run.id, queued);
        }
        active.put(run.id, run);
        LOG.info("task {} queued: {} ({} steps, resources {}, user {})", run.id, run.name, steps.size(),
                resources, run.user);
        schedule(run);
        return queued;
    }

    @Override
    public CompletableFuture<TaskInfo> completion(String taskId) {
        TaskRun run = active.get(taskId);
        if (run != null) {
            return run.completion.copy();
        }
        Optional<TaskInfo> stored = store.get(STATE_TYPE, taskId, TaskInfo.class);
        if (stored.isEmpty()) {
            return CompletableFuture.failedFuture(new NoSuchElementException("no task " + taskId));
        }
        if (stored.get().state().finished()) {
            return CompletableFuture.completedFuture(stored.get());
        }
        return CompletableFuture.failedFuture(new IllegalStateException("task " + taskId
                + " is not running in this engine; it will be rolled back at the next start"));
    }

    @Override
    public synchronized TaskInfo retryRollback(String taskId, String user) {
        if (!started || closing) {
            throw SkiffException.unavailable("the task engine is not running");
        }
        if (active.containsKey(taskId)) {
            throw SkiffException.conflict("state", "task " + taskId + " is still running");
        }
        TaskInfo stored = store.get(STATE_TYPE, taskId, TaskInfo.class)
                .orElseThrow(() -> SkiffException.notFound("task", taskId));
        if (stored.state() != TaskState.ROLLBACK_FAILED) {
            throw SkiffException.conflict("state", "task " + taskId + " is " + stored.state()
                    + "; only a task whose rollback failed (ROLLBACK_FAILED) can be rolled back again");
        }
        TaskRun run = new TaskRun(stored);
        run.rollbackError = errorBeforeUndoFailure(stored.error());
        run.rollbackStartedNanos = System.nanoTime();
        persist(run, r -> {
            for (TaskRun.StepRun step : r.steps) {
                if (step.state == StepState.UNDO_FAILED) {
                    step.state = StepState.UNDOING;
                }
            }
            r.state = TaskState.ROLLING_BACK;
            r.finishedAt = null;
            r.message = "rollback retried by " + user;
        });
        active.put(run.id, run);
        LOG.info("task {} ({}): rollback retried by {}", run.id, run.name, user);
        schedule(run);
        return run.view();
    }

    @Override
    public Optional<TaskInfo> get(String taskId) {
        TaskRun run = active.get(taskId);
        if (run != null) {
            return Optional.of(run.view());
        }
        return store.get(STATE_TYPE, taskId, TaskInfo.class);
    }

    @Override
    public List<TaskInfo> list() {
        // active views first: a task leaving the active set has already journaled its final state
        Map<String, TaskInfo> live = new HashMap<>();
        for (TaskRun run : active.values()) {
            live.put(run.id, run.view());
        }
        Map<String, TaskInfo> byId = new HashMap<>(live);
        for (TaskInfo stored : store.list(STATE_TYPE, TaskInfo.class)) {
            if (stored.state() != null && (stored.state().finished() || !live.containsKey(stored.id()))) {
                byId.put(stored.id(), stored);
            }
        }
        List<TaskInfo> result = new ArrayList<>(byId.values());
        result.sort(NEWEST_FIRST);
        return result;
    }

    /** Stops, waiting up to {@link #DEFAULT_STOP_WAIT} for running steps. */
    @Override
    public void close() {
        close(DEFAULT_STOP_WAIT);
    }

    /**
     * Stops accepting tasks and starting steps. Running steps get {@code wait} to end, then are interrupted.
     * Tasks not finished are left as journaled, to be rolled back at the next start.
     */
    public void close(Duration wait) {
        closing = true;
        retryTimer.shutdownNow();
        executor.shutdown();
        try {
            if (!executor.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("task engine: steps still running after {}; interrupting them", wait);
                executor.shutdownNow();
                executor.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
        for (TaskRun run : active.values()) {
            run.completion.completeExceptionally(new IllegalStateException("task engine stopped before task "
                    + run.id + " finished; it will be rolled back at the next start"));
        }
        LOG.info("task engine stopped; {} unfinished task(s) left for rollback at the next start", active.size());
    }

    // ---- scheduling -------------------------------------------------------------------------------------------

    private void schedule(TaskRun run) {
        if (queues.enqueue(run, run.resources)) {
            dispatch(run);
        }
    }

    private void dispatch(TaskRun run) {
        if (closing) {
            return;
        }
        try {
            executor.execute(() -> runTask(run));
        } catch (RejectedExecutionException e) {
            LOG.debug("task {} not started: engine stopping", run.id);
        }
    }

    private void runTask(TaskRun run) {
        boolean waiting = false;
        try {
            if (closing) {
                throw new Abandoned("engine stopping before the task started", null);
            }
            Optional<Duration> retry;
            if (run.rollbackError != null) {
                retry = continueRollback(run);
            } else if (run.recovered()) {
                retry = recover(run);
            } else {
                retry = execute(run);
            }
            if (retry.isPresent()) {
                // the task keeps its place on its resources; no thread waits for the retry
                waiting = retryLater(run, retry.get());
                if (waiting) {
                    return;
                }
                throw new Abandoned("engine stopping while an undo waits for a retry", null);
            }
            run.completion.complete(run.view());
            active.remove(run.id);
        } catch (Abandoned e) {
            LOG.warn("task {} abandoned: {}; it will be rolled back at the next start", run.id, e.getMessage());
            run.completion.completeExceptionally(e);
            active.remove(run.id);
        } catch (RuntimeException | Error e) {
            LOG.error("task {} stopped by an engine error", run.id, e);
            run.completion.completeExceptionally(e);
            active.remove(run.id);
        } finally {
            if (!waiting) {
                for (TaskRun next : queues.release(run)) {
                    dispatch(next);
                }
            }
        }
    }

    private boolean retryLater(TaskRun run, Duration delay) {
        if (closing) {
            return false;
        }
        try {
            retryTimer.schedule(() -> dispatch(run), delay.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    // ---- running ----------------------------------------------------------------------------------------------

    private Optional<Duration> execute(TaskRun run) {
        int total = run.steps.size();
        persist(run, r -> {
            r.state = TaskState.RUNNING;
            r.startedAt = clock.instant();
            r.message = "started";
        });
        LOG.info("task {} started: {}", run.id, run.name);
        for (int i = 0; i < total; i++) {
            if (closing) {
                throw new Abandoned("engine stopping before step " + (i + 1) + "/" + total, null);
            }
            int index = i;
            TaskRun.StepRun step = run.steps.get(i);
            persist(run, r -> {
                step.state = StepState.APPLYING;
                r.message = step.name;
                r.progress = index * 100 / total;
            });
            LOG.debug("task {} step {}/{} '{}' applying", run.id, index + 1, total, step.name);
            try {
                run.liveSteps.get(i).apply(new Context(run, index));
            } catch (Throwable t) {
                rethrowIfFatal(t);
                abandonIfJournalOrEngineDown(run, t);
                return rollback(run, index, t);
            }
            persist(run, r -> {
                step.state = StepState.APPLIED;
                r.progress = (index + 1) * 100 / total;
            });
            LOG.debug("task {} step {}/{} '{}' applied", run.id, index + 1, total, step.name);
        }
        finish(run, TaskState.SUCCEEDED, null, "done");
        LOG.info("task {} succeeded: {}", run.id, run.name);
        return Optional.empty();
    }

    private Optional<Duration> rollback(TaskRun run, int failedIndex, Throwable cause) {
        // an interrupt that made the step fail must not make its undo fail as well
        Thread.interrupted();
        int total = run.steps.size();
        String error = "step " + (failedIndex + 1) + "/" + total + " '" + run.steps.get(failedIndex).name
                + "' failed: " + describe(cause);
        LOG.warn("task {} {}; rolling back", run.id, error, cause);
        run.rollbackError = error;
        run.rollbackStartedNanos = System.nanoTime();
        persist(run, r -> {
            r.state = TaskState.ROLLING_BACK;
            r.error = error;
            r.message = "rolling back";
        });
        return continueRollback(run);
    }

    private Optional<Duration> recover(TaskRun run) {
        String previous = run.error;
        run.rollbackError = previous == null || previous.startsWith(RESTART_ERROR) ? RESTART_ERROR
                : RESTART_ERROR + " (before: " + previous + ")";
        run.rollbackStartedNanos = System.nanoTime();
        persist(run, r -> {
            r.state = TaskState.ROLLING_BACK;
            r.message = "rolling back after restart";
        });
        LOG.warn("task {} rolling back after restart: {}", run.id, run.name);
        return continueRollback(run);
    }

    /**
     * Undoes, last first, every step that took (or may have taken) something and is not undone yet.
     *
     * @return the delay after which to continue, when an undo failed and is to be tried again; empty when the
     *     task has ended
     */
    private Optional<Duration> continueRollback(TaskRun run) {
        Thread.interrupted();
        for (int j = run.steps.size() - 1; j >= 0; j--) {
            TaskRun.StepRun step = run.steps.get(j);
            if (step.state != StepState.APPLYING && step.state != StepState.APPLIED
                    && step.state != StepState.UNDOING) {
                continue;
            }
            int index = j;
            persist(run, r -> {
                step.state = StepState.UNDOING;
                r.message = "undoing " + step.name;
            });
            try {
                undoAction(run, index).undo(new Context(run, index));
            } catch (Throwable t) {
                rethrowIfFatal(t);
                abandonIfJournalOrEngineDown(run, t);
                Optional<Duration> retry = undoFailed(run, index, t);
                if (retry.isPresent()) {
                    return retry;
                }
                return Optional.empty();
            }
            persist(run, r -> step.state = StepState.UNDONE);
            LOG.debug("task {} step {} '{}' undone", run.id, index + 1, step.name);
        }
        finish(run, TaskState.FAILED, run.rollbackError, "rolled back");
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
        String failure = "undo of step " + (index + 1) + " '" + step.name + "' failed: " + describe(t);
        Optional<Duration> delay = retryPolicy.nextDelay(t, attempt);
        if (t instanceof UndoRetryPolicy.MissingUndoHandler
                && System.nanoTime() - run.rollbackStartedNanos > handlerWait.toNanos()) {
            delay = Optional.empty();
        }
        if (delay.isPresent()) {
            Instant next = clock.instant().plus(delay.get());
            LOG.warn("task {} {} (attempt {}); next attempt at {}", run.id, failure, attempt, next);
            persist(run, r -> {
                step.data.put(UNDO_ATTEMPTS, Integer.toString(attempt));
                step.data.put(UNDO_ERROR, describe(t));
                step.data.put(UNDO_NEXT_ATTEMPT, next.toString());
                r.message = failure + "; attempt " + (attempt + 1) + " at " + next;
            });
            return delay;
        }
        LOG.error("task {} {} (attempt {}); the rollback gives up", run.id, failure, attempt, t);
        persist(run, r -> {
            step.state = StepState.UNDO_FAILED;
            step.data.put(UNDO_ATTEMPTS, Integer.toString(attempt));
            step.data.put(UNDO_ERROR, describe(t));
            step.data.remove(UNDO_NEXT_ATTEMPT);
        });
        String error = run.rollbackError + UNDO_FAILURE_MARK + failure.substring("undo of ".length()) + "; "
                + leftInPlace(run, index);
        finish(run, TaskState.ROLLBACK_FAILED, error, "rollback failed: retry it once the cause is fixed");
        LOG.error("task {} ROLLBACK_FAILED: {}", run.id, error);
        try {
            rollbackFailedListener.accept(run.view());
        } catch (RuntimeException e) {
            LOG.warn("task {}: the rollback-failed listener failed: {}", run.id, e.toString());
        }
        return Optional.empty();
    }

    /** The task's own error, without what its failed rollback added ({@link #undoFailed}). */
    private static String errorBeforeUndoFailure(String error) {
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

    /** Journals the final state together with the deletion of tasks beyond retention. */
    private void finish(TaskRun run, TaskState state, String error, String message) {
        Instant now = clock.instant();
        List<StateChange> changes = new ArrayList<>();
        if (state != TaskState.ROLLBACK_FAILED) {
            synchronized (finished) {
                finished.add(new Finished(now, run.id));
                while (finished.size() > retainFinished) {
                    changes.add(StateChange.delete(STATE_TYPE, finished.pollFirst().id()));
                }
            }
        }
        synchronized (run) {
            run.state = state;
            run.error = error;
            run.message = message;
            run.finishedAt = now;
            if (state == TaskState.SUCCEEDED) {
                run.progress = 100;
            }
            TaskInfo info = run.snapshot();
            changes.add(0, StateChange.put(STATE_TYPE, run.id, info));
            commit(run, changes);
            run.publish();
        }
    }

    /** Applies a mutation and journals the task before anything else happens to it. */
    private void persist(TaskRun run, Consumer<TaskRun> mutation) {
        synchronized (run) {
            mutation.accept(run);
            commit(run, List.of(StateChange.put(STATE_TYPE, run.id, run.snapshot())));
            run.publish();
        }
    }

    private void commit(TaskRun run, List<StateChange> changes) {
        try {
            store.commit(changes);
        } catch (RuntimeException e) {
            run.journalFailure = e;
            throw new Abandoned("task journal unavailable: " + e.getMessage(), e);
        }
    }

    private void abandonIfJournalOrEngineDown(TaskRun run, Throwable stepFailure) {
        if (run.journalFailure != null) {
            throw new Abandoned("task journal unavailable: " + run.journalFailure.getMessage(), run.journalFailure);
        }
        if (closing) {
            throw new Abandoned("engine stopping: " + describe(stepFailure), stepFailure);
        }
    }

    private static void rethrowIfFatal(Throwable t) {
        if (t instanceof VirtualMachineError error) {
            throw error;
        }
    }

    private static String describe(Throwable t) {
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }

    // ---- small types ------------------------------------------------------------------------------------------

    /** What a step sees; recording journals the task before returning. */
    private final class Context implements StepContext {
        private final TaskRun run;
        private final int index;

        Context(TaskRun run, int index) {
            this.run = run;
            this.index = index;
        }

        @Override
        public String taskId() {
            return run.id;
        }

        @Override
        public Map<String, String> data() {
            synchronized (run) {
                return Collections.unmodifiableMap(new LinkedHashMap<>(run.steps.get(index).data));
            }
        }

        @Override
        public void record(String key, String value) {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
            persist(run, r -> r.steps.get(index).data.put(key, value));
        }

        @Override
        public void progress(int percent, String message) {
            int within = Math.max(0, Math.min(100, percent));
            synchronized (run) {
                int total = run.steps.size();
                if (run.state == TaskState.RUNNING && total > 0) {
                    run.progress = Math.max(run.progress, (index * 100 + within) / total);
                }
                if (message != null) {
                    run.message = message;
                }
                run.publish();
            }
        }
    }

    @FunctionalInterface
    private interface UndoAction {
        void undo(StepContext context) throws Exception;
    }

    /** The engine can no longer journal a task, or is stopping; the task is left for the restart rollback. */
    private static final class Abandoned extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Abandoned(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private record Finished(Instant finishedAt, String id) implements Comparable<Finished> {
        private static final Comparator<Finished> ORDER = Comparator.comparing(Finished::finishedAt,
                Comparator.nullsFirst(Comparator.<Instant>naturalOrder())).thenComparing(Finished::id);

        @Override
        public int compareTo(Finished other) {
            return ORDER.compare(this, other);
        }
    }

    private static final class NamedThreads implements ThreadFactory {
        private static final AtomicInteger ENGINES = new AtomicInteger();
        private final int engine = ENGINES.incrementAndGet();
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "skiff-task-" + engine + "-" + count.incrementAndGet());
            thread.setDaemon(false);
            return thread;
        }
    }
}
