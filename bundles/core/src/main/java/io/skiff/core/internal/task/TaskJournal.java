package io.skiff.core.internal.task;

import io.skiff.api.model.TaskInfo;
import io.skiff.api.model.TaskState;
import io.skiff.api.state.StateChange;
import io.skiff.api.state.StateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * The tasks of a {@link JournaledTaskEngine} in its {@link StateStore} (type {@value JournaledTaskEngine#STATE_TYPE},
 * one {@link TaskInfo} per task): every transition of a task is journaled before the engine goes on, and finished
 * tasks are kept up to a number (those that ended {@code ROLLBACK_FAILED} stay until a retry ends them). A task whose
 * journal write fails is abandoned to the restart rollback ({@link TaskAbandoned}).
 */
final class TaskJournal {
    static final Comparator<TaskInfo> NEWEST_FIRST = Comparator.comparing(TaskInfo::createdAt,
            Comparator.nullsFirst(Comparator.<Instant>naturalOrder())).thenComparing(TaskInfo::id).reversed();
    /** Its lines are the engine's: one logger for what happens to tasks. */
    private static final Logger LOG = LoggerFactory.getLogger(JournaledTaskEngine.class);
    private static final String STATE_TYPE = JournaledTaskEngine.STATE_TYPE;

    private final StateStore store;
    private final Clock clock;
    private final int retainFinished;
    /** Finished tasks, oldest first, for retention. Guarded by itself. */
    private final TreeSet<Finished> finished = new TreeSet<>();
    /**
     * What the store holds, as the task views it was given (so that a list or a lookup converts no JSON): changed
     * once a write is durable, in the order of each task's writes.
     */
    private final Map<String, TaskInfo> stored = new ConcurrentHashMap<>();

    TaskJournal(StateStore store, Clock clock, int retainFinished) {
        this.store = store;
        this.clock = clock;
        this.retainFinished = retainFinished;
    }

    /**
     * Reads the journaled tasks and forgets the finished ones beyond retention.
     *
     * @return the tasks a previous run left unfinished, oldest first
     */
    List<TaskInfo> load() {
        List<TaskInfo> unfinished = new ArrayList<>();
        for (TaskInfo info : store.list(STATE_TYPE, TaskInfo.class)) {
            if (info.state() == null || info.id() == null) {
                LOG.warn("ignoring stored task without id or state: {}", info);
                continue;
            }
            stored.put(info.id(), info);
            if (info.state() == TaskState.ROLLBACK_FAILED) {
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
            expired.forEach(this::remember);
            LOG.info("dropped {} finished task(s) beyond the {} retained", expired.size(), retainFinished);
        }
        unfinished.sort(NEWEST_FIRST.reversed());
        return unfinished;
    }

    /** @return the task as queued, journaled */
    TaskInfo queued(TaskRun run) {
        synchronized (run) {
            TaskInfo queued = run.snapshot();
            store.put(STATE_TYPE, run.id, queued);
            stored.put(run.id, queued);
            return queued;
        }
    }

    Optional<TaskInfo> get(String taskId) {
        return Optional.ofNullable(taskId == null ? null : stored.get(taskId));
    }

    List<TaskInfo> list() {
        return new ArrayList<>(stored.values());
    }

    /** Makes a durable change visible to {@link #get} and {@link #list}. */
    private void remember(StateChange change) {
        if (change.value() == null) {
            stored.remove(change.id());
        } else {
            stored.put(change.id(), (TaskInfo) change.value());
        }
    }

    /** Applies a mutation and journals the task before anything else happens to it. */
    void persist(TaskRun run, Consumer<TaskRun> mutation) {
        join(persistAsync(run, mutation));
    }

    /**
     * Applies a mutation at once and journals the task without waiting: what comes next for the task must wait for
     * the returned future (which may complete on the store's thread). Readers see the change once it is durable.
     *
     * @return completed once the task's new state is journaled; failed with {@link TaskAbandoned} when the store
     *     refused it
     */
    CompletableFuture<Void> persistAsync(TaskRun run, Consumer<TaskRun> mutation) {
        synchronized (run) {
            mutation.accept(run);
            return commit(run, List.of(StateChange.put(STATE_TYPE, run.id, run.snapshot())));
        }
    }

    /** Journals the final state together with the deletion of tasks beyond retention. */
    void finish(TaskRun run, TaskState state, String error, String message) {
        join(finishAsync(run, r -> { }, state, error, message));
    }

    /**
     * As {@link #finish}, without waiting, after applying {@code mutation} (e.g. the last step's new state) in the
     * same journal entry.
     */
    CompletableFuture<Void> finishAsync(TaskRun run, Consumer<TaskRun> mutation, TaskState state, String error,
                                        String message) {
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
            mutation.accept(run);
            run.state = state;
            run.error = error;
            run.message = message;
            run.finishedAt = now;
            if (state == TaskState.SUCCEEDED) {
                run.progress = 100;
            }
            changes.add(0, StateChange.put(STATE_TYPE, run.id, run.snapshot()));
            return commit(run, changes);
        }
    }

    private CompletableFuture<Void> commit(TaskRun run, List<StateChange> changes) {
        CompletableFuture<Void> stored;
        try {
            stored = store.commitAsync(changes).toCompletableFuture();
        } catch (RuntimeException e) {
            stored = CompletableFuture.failedFuture(e);
        }
        return stored.handle((v, e) -> {
            if (e != null) {
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                run.journalFailure = cause;
                throw new TaskAbandoned("task journal unavailable: " + cause.getMessage(), cause);
            }
            changes.forEach(this::remember);
            synchronized (run) {
                run.publish();
            }
            return null;
        });
    }

    /** Waits for a journal write (not cut short by an interrupt), rethrowing its {@link TaskAbandoned}. */
    private static void join(CompletableFuture<Void> write) {
        try {
            write.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
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
}
