package io.skiff.core.internal.task;

import io.skiff.api.model.StepState;
import io.skiff.api.model.TaskInfo;
import io.skiff.api.model.TaskState;
import io.skiff.api.service.SkiffException;
import io.skiff.api.state.StateStore;
import io.skiff.api.task.TaskEngine;
import io.skiff.api.task.TaskRequest;
import io.skiff.api.task.TaskStep;
import io.skiff.api.task.UndoHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
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
 *
 * <p>This class runs tasks (scheduling, applying steps); {@link TaskJournal} journals them and keeps the finished ones
 * within retention, {@link TaskRollback} undoes them.
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
    /** The error of a task rolled back at start-up. */
    public static final String RESTART_ERROR = "rolled back after restart";
    public static final int DEFAULT_RETAIN_FINISHED = 1000;
    public static final Duration DEFAULT_STOP_WAIT = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(JournaledTaskEngine.class);

    private final TaskJournal journal;
    private final TaskRollback rollback;
    private final Clock clock;
    private final UndoHandlers undoHandlers;
    private final ExecutorService executor;
    /** Re-dispatches rollbacks whose undo waits for a retry. */
    private final ScheduledExecutorService retryTimer;
    private final ResourceQueues<TaskRun> queues = new ResourceQueues<>();
    private final Map<String, TaskRun> active = new ConcurrentHashMap<>();
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
        this.clock = Objects.requireNonNull(clock, "clock");
        this.journal = new TaskJournal(Objects.requireNonNull(store, "store"), clock, Math.max(0, retainFinished));
        this.undoHandlers = Objects.requireNonNull(undoHandlers, "undoHandlers");
        this.rollback = new TaskRollback(journal, undoHandlers, clock, () -> closing);
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
        rollback.awaitUndoHandlers(wait);
    }

    /** Sets when failed undos are tried again; {@link UndoRetryPolicy#DEFAULT} unless set. */
    public void undoRetryPolicy(UndoRetryPolicy policy) {
        rollback.undoRetryPolicy(policy);
    }

    /** Called (on the engine's thread) with each task that ends {@code ROLLBACK_FAILED}, e.g. to log it. */
    public void onRollbackFailed(Consumer<TaskInfo> listener) {
        rollback.onRollbackFailed(listener);
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
        List<TaskInfo> unfinished = journal.load();
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
        TaskInfo queued = journal.queued(run);
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
        Optional<TaskInfo> stored = journal.get(taskId);
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
        TaskInfo stored = journal.get(taskId)
                .orElseThrow(() -> SkiffException.notFound("task", taskId));
        if (stored.state() != TaskState.ROLLBACK_FAILED) {
            throw SkiffException.conflict("state", "task " + taskId + " is " + stored.state()
                    + "; only a task whose rollback failed (ROLLBACK_FAILED) can be rolled back again");
        }
        TaskRun run = new TaskRun(stored);
        run.rollbackError = TaskRollback.errorBeforeUndoFailure(stored.error());
        run.rollbackStartedNanos = System.nanoTime();
        journal.persist(run, r -> {
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
        return journal.get(taskId);
    }

    @Override
    public List<TaskInfo> list() {
        // active views first: a task leaving the active set has already journaled its final state
        Map<String, TaskInfo> live = new HashMap<>();
        for (TaskRun run : active.values()) {
            live.put(run.id, run.view());
        }
        Map<String, TaskInfo> byId = new HashMap<>(live);
        for (TaskInfo stored : journal.list()) {
            if (stored.state() != null && (stored.state().finished() || !live.containsKey(stored.id()))) {
                byId.put(stored.id(), stored);
            }
        }
        List<TaskInfo> result = new ArrayList<>(byId.values());
        result.sort(TaskJournal.NEWEST_FIRST);
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
                throw new TaskAbandoned("engine stopping before the task started", null);
            }
            Optional<Duration> retry;
            if (run.rollbackError != null) {
                retry = rollback.resume(run);
            } else if (run.recovered()) {
                retry = rollback.afterRestart(run);
            } else {
                retry = execute(run);
            }
            if (retry.isPresent()) {
                // the task keeps its place on its resources; no thread waits for the retry
                waiting = retryLater(run, retry.get());
                if (waiting) {
                    return;
                }
                throw new TaskAbandoned("engine stopping while an undo waits for a retry", null);
            }
            run.completion.complete(run.view());
            active.remove(run.id);
        } catch (TaskAbandoned e) {
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
        journal.persist(run, r -> {
            r.state = TaskState.RUNNING;
            r.startedAt = clock.instant();
            r.message = "started";
        });
        LOG.info("task {} started: {}", run.id, run.name);
        for (int i = 0; i < total; i++) {
            if (closing) {
                throw new TaskAbandoned("engine stopping before step " + (i + 1) + "/" + total, null);
            }
            int index = i;
            TaskRun.StepRun step = run.steps.get(i);
            journal.persist(run, r -> {
                step.state = StepState.APPLYING;
                r.message = step.name;
                r.progress = index * 100 / total;
            });
            LOG.debug("task {} step {}/{} '{}' applying", run.id, index + 1, total, step.name);
            try {
                run.liveSteps.get(i).apply(new TaskStepContext(journal, run, index));
            } catch (Throwable t) {
                TaskAbandoned.rethrowIfFatal(t);
                TaskAbandoned.ifJournalOrEngineDown(run, t, closing);
                return rollback.afterFailure(run, index, t);
            }
            journal.persist(run, r -> {
                step.state = StepState.APPLIED;
                r.progress = (index + 1) * 100 / total;
            });
            LOG.debug("task {} step {}/{} '{}' applied", run.id, index + 1, total, step.name);
        }
        journal.finish(run, TaskState.SUCCEEDED, null, "done");
        LOG.info("task {} succeeded: {}", run.id, run.name);
        return Optional.empty();
    }

    // ---- small types ------------------------------------------------------------------------------------------

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
