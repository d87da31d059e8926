package io.skiff.core.internal.task;

import io.skiff.api.model.StepState;
import io.skiff.api.model.TaskInfo;
import io.skiff.api.model.TaskState;
import io.skiff.api.model.Timings;
import io.skiff.api.service.SkiffException;
import io.skiff.api.state.StateStore;
import io.skiff.api.task.TaskEngine;
import io.skiff.api.task.TaskRequest;
import io.skiff.api.task.TaskStep;
import io.skiff.api.task.UndoHandler;
import io.skiff.core.internal.TimingHistogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs tasks all-or-nothing on a pool of threads that wait neither for cells nor for the disk, journaling every
 * transition in the {@link StateStore} (type {@value #STATE_TYPE}, one {@link TaskInfo} per task) before it goes on.
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
 *   <li>A step that works asynchronously ({@link TaskStep#applyAsync}) holds no thread while it works; one that has
 *       not completed within the step time-out ({@link #stepTimeout}) fails and is undone. Journal writes do not hold
 *       a thread either, and those of concurrent tasks share one write and one force; a task goes on only once its
 *       last transition is on disk.</li>
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
    /** How long an asynchronous step may take before it counts as failed, unless set. */
    public static final Duration DEFAULT_STEP_TIMEOUT = Duration.ofMinutes(60);

    private static final Logger LOG = LoggerFactory.getLogger(JournaledTaskEngine.class);

    private final TaskJournal journal;
    private final TaskRollback rollback;
    private final Clock clock;
    private final UndoHandlers undoHandlers;
    private final ExecutorService executor;
    /** Re-dispatches rollbacks whose undo waits for a retry; fails asynchronous steps at their time-out. */
    private final ScheduledExecutorService timer;
    /** how long steps took, by "kind/outcome" */
    private final Map<String, TimingHistogram> stepTimings = new ConcurrentHashMap<>();
    private final StepsInFlight inFlight;
    private volatile Duration stepTimeout = DEFAULT_STEP_TIMEOUT;
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
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "skiff-task-timer");
            t.setDaemon(true);
            return t;
        });
        this.inFlight = new StepsInFlight(timer);
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

    /**
     * Sets how long an asynchronous step ({@link TaskStep#applyAsync} returning a stage not completed yet) may take:
     * one that has not completed by then fails with a time-out and is undone with the steps before it.
     */
    public void stepTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("step time-out must be positive, not " + timeout);
        }
        this.stepTimeout = timeout;
    }

    @Override
    public int stepsAtWork() {
        return inFlight.count();
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
     * Stops accepting tasks and starting steps. Running steps (asynchronous ones too) get {@code wait} to end, then
     * are interrupted.
     * Tasks not finished are left as journaled, to be rolled back at the next start.
     */
    public void close(Duration wait) {
        closing = true;
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            if (!inFlight.awaitNone(wait)) {
                LOG.warn("task engine: {} asynchronous step(s) still at work after {}", inFlight.count(), wait);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
        timer.shutdownNow();
        executor.shutdown();
        try {
            if (!executor.awaitTermination(left.toMillis(), TimeUnit.MILLISECONDS)) {
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
        CompletableFuture<Optional<Duration>> outcome;
        try {
            if (closing) {
                throw new TaskAbandoned("engine stopping before the task started", null);
            }
            if (run.rollbackError != null) {
                outcome = CompletableFuture.completedFuture(rollback.resume(run));
            } else if (run.recovered()) {
                outcome = CompletableFuture.completedFuture(rollback.afterRestart(run));
            } else {
                outcome = execute(run);
            }
        } catch (Throwable t) {
            outcome = CompletableFuture.failedFuture(t);
        }
        // settled on an engine thread: whoever waits for the task's completion must not run on the journal's thread
        outcome.whenCompleteAsync((retry, failure) -> settle(run, retry, failure), executor);
    }

    /** Ends the engine's work on a task for now: done, abandoned, or waiting to retry an undo. */
    private void settle(TaskRun run, Optional<Duration> retry, Throwable failure) {
        boolean waiting = false;
        try {
            Throwable cause = unwrap(failure);
            if (cause instanceof TaskAbandoned e) {
                LOG.warn("task {} abandoned: {}; it will be rolled back at the next start", run.id, e.getMessage());
                run.completion.completeExceptionally(e);
                active.remove(run.id);
            } else if (cause != null) {
                LOG.error("task {} stopped by an engine error", run.id, cause);
                run.completion.completeExceptionally(cause);
                active.remove(run.id);
            } else if (retry.isPresent()) {
                // the task keeps its place on its resources; no thread waits for the retry
                waiting = retryLater(run, retry.get());
                if (!waiting) {
                    TaskAbandoned e = new TaskAbandoned("engine stopping while an undo waits for a retry", null);
                    LOG.warn("task {} abandoned: {}; it will be rolled back at the next start", run.id, e.getMessage());
                    run.completion.completeExceptionally(e);
                    active.remove(run.id);
                }
            } else {
                run.completion.complete(run.view());
                active.remove(run.id);
            }
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
            timer.schedule(() -> dispatch(run), delay.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    // ---- running ----------------------------------------------------------------------------------------------
    //
    // A task goes from one journaled transition to the next without a thread waiting in between: each transition is
    // written with persistAsync, and what follows it runs on an engine thread once it is durable. A step's
    // applyAsync may return a stage that completes later (a cell at work); the task then holds no thread until it
    // does. The last step's APPLIED and the next step's APPLYING are one journal entry (as are RUNNING and the
    // first APPLYING, and the last APPLIED and SUCCEEDED): a crash sees the same states as with two entries.

    private CompletableFuture<Optional<Duration>> execute(TaskRun run) {
        LOG.info("task {} started: {}", run.id, run.name);
        Instant now = clock.instant();
        Consumer<TaskRun> running = r -> {
            r.state = TaskState.RUNNING;
            r.startedAt = now;
            r.message = "started";
        };
        if (run.steps.isEmpty()) {
            return journal.finishAsync(run, running, TaskState.SUCCEEDED, null, "done")
                    .thenApply(v -> succeeded(run));
        }
        return journal.persistAsync(run, running.andThen(r -> markApplying(r, 0)))
                .thenComposeAsync(v -> apply(run, 0), executor);
    }

    /** Applies step {@code index}, journaled {@code APPLYING}, and what follows it. */
    private CompletableFuture<Optional<Duration>> apply(TaskRun run, int index) {
        if (closing) {
            throw new TaskAbandoned("engine stopping before step " + (index + 1) + "/" + run.steps.size(), null);
        }
        LOG.debug("task {} step {}/{} '{}' applying", run.id, index + 1, run.steps.size(), run.steps.get(index).name);
        return stepOutcome(run, index).thenComposeAsync(failure -> failure == null ? applied(run, index)
                : failed(run, index, failure), executor);
    }

    private CompletableFuture<Optional<Duration>> applied(TaskRun run, int index) {
        int total = run.steps.size();
        LOG.debug("task {} step {}/{} '{}' applied", run.id, index + 1, total, run.steps.get(index).name);
        Consumer<TaskRun> stepApplied = r -> {
            r.steps.get(index).state = StepState.APPLIED;
            r.progress = (index + 1) * 100 / total;
        };
        if (index + 1 == total) {
            return journal.finishAsync(run, stepApplied, TaskState.SUCCEEDED, null, "done")
                    .thenApply(v -> succeeded(run));
        }
        if (closing) {
            return journal.persistAsync(run, stepApplied).thenApply(v -> {
                throw new TaskAbandoned("engine stopping before step " + (index + 2) + "/" + total, null);
            });
        }
        return journal.persistAsync(run, stepApplied.andThen(r -> markApplying(r, index + 1)))
                .thenComposeAsync(v -> apply(run, index + 1), executor);
    }

    private CompletableFuture<Optional<Duration>> failed(TaskRun run, int index, Throwable failure) {
        TaskAbandoned.rethrowIfFatal(failure);
        TaskAbandoned.ifJournalOrEngineDown(run, failure, closing);
        return CompletableFuture.completedFuture(rollback.afterFailure(run, index, failure));
    }

    private static void markApplying(TaskRun run, int index) {
        TaskRun.StepRun step = run.steps.get(index);
        step.state = StepState.APPLYING;
        run.message = step.name;
        run.progress = index * 100 / run.steps.size();
    }

    private Optional<Duration> succeeded(TaskRun run) {
        LOG.info("task {} succeeded: {}", run.id, run.name);
        return Optional.empty();
    }

    /**
     * Starts step {@code index} ({@link TaskStep#applyAsync}).
     *
     * @return completed with {@code null} when the step applied, with its failure otherwise (never exceptionally);
     *     a step still at work after the step time-out has failed
     */
    private CompletableFuture<Throwable> stepOutcome(TaskRun run, int index) {
        long started = System.nanoTime();
        CompletableFuture<Void> applied;
        try {
            CompletionStage<Void> stage = run.liveSteps.get(index).applyAsync(new TaskStepContext(journal, run,
                    index));
            applied = stage == null ? CompletableFuture.completedFuture(null) : stage.toCompletableFuture();
        } catch (Throwable t) {
            applied = CompletableFuture.failedFuture(t);
        }
        if (!applied.isDone()) {
            applied = inFlight.watch(applied, stepTimeout, () -> new TimeoutException("step " + (index + 1) + " '"
                    + run.steps.get(index).name + "' did not complete within " + stepTimeout.toSeconds() + " s"));
        }
        String kind = run.steps.get(index).kind;
        return applied.handle((v, t) -> {
            stepTimings.computeIfAbsent(kind + (t == null ? "/applied" : "/failed"),
                    k -> TimingHistogram.slow()).record(System.nanoTime() - started);
            return unwrap(t);
        });
    }

    @Override
    public Map<String, Timings> stepTimings() {
        Map<String, Timings> timings = new TreeMap<>();
        stepTimings.forEach((kindAndOutcome, histogram) -> timings.put(kindAndOutcome, histogram.timings()));
        return timings;
    }

    private static Throwable unwrap(Throwable t) {
        Throwable cause = t;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
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
