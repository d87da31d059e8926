package io.skiff.core.internal.task;

import io.skiff.api.model.StepInfo;
import io.skiff.api.model.StepState;
import io.skiff.api.model.TaskInfo;
import io.skiff.api.model.TaskState;
import io.skiff.api.task.TaskStep;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The engine's working copy of one task. Mutated only under its own monitor, by the thread running the task (and
 * by a step reporting from threads of its own); readers see {@link #view}, the last published {@link TaskInfo}.
 */
final class TaskRun {

    final String id;
    final String name;
    final Set<String> resources;
    final String user;
    final Instant createdAt;
    /** The live steps; {@code null} for a task recovered from the store after a restart. */
    final List<TaskStep> liveSteps;
    final CompletableFuture<TaskInfo> completion = new CompletableFuture<>();

    TaskState state;
    int progress;
    String message;
    String error;
    Instant startedAt;
    Instant finishedAt;
    final List<StepRun> steps;

    /** The error a rollback ends with; set once this engine has begun rolling the task back. */
    String rollbackError;
    /** When this engine began rolling the task back ({@link System#nanoTime()}). */
    long rollbackStartedNanos;
    /** Undo attempts made so far in this engine, by step index. */
    final Map<Integer, Integer> undoAttempts = new java.util.concurrent.ConcurrentHashMap<>();

    /** Set when the store refused a commit for this task; the engine then stops working on it. */
    volatile Throwable journalFailure;
    private volatile TaskInfo view;

    /** A task just submitted. */
    TaskRun(String id, String name, Set<String> resources, String user, Instant createdAt, List<TaskStep> steps) {
        this.id = id;
        this.name = name;
        this.resources = Set.copyOf(resources);
        this.user = user;
        this.createdAt = createdAt;
        this.liveSteps = List.copyOf(steps);
        this.state = TaskState.QUEUED;
        this.message = "queued";
        this.steps = new ArrayList<>(steps.size());
        for (TaskStep step : steps) {
            this.steps.add(new StepRun(step.name(), step.kind(), StepState.PENDING, new LinkedHashMap<>()));
        }
        publish();
    }

    /** A task found unfinished in the store. */
    TaskRun(TaskInfo info) {
        this.id = info.id();
        this.name = info.name();
        this.resources = info.resources() == null ? Set.of() : new LinkedHashSet<>(info.resources());
        this.user = info.user();
        this.createdAt = info.createdAt();
        this.liveSteps = null;
        this.state = info.state();
        this.progress = info.progress();
        this.message = info.message();
        this.error = info.error();
        this.startedAt = info.startedAt();
        this.finishedAt = info.finishedAt();
        List<StepInfo> stored = info.steps() == null ? List.of() : info.steps();
        this.steps = new ArrayList<>(stored.size());
        for (StepInfo step : stored) {
            this.steps.add(new StepRun(step.name(), step.kind(), step.state(),
                    step.data() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(step.data())));
        }
        publish();
    }

    boolean recovered() {
        return liveSteps == null;
    }

    /** Builds the current {@link TaskInfo}. Called under this monitor. */
    TaskInfo snapshot() {
        List<StepInfo> stepInfos = new ArrayList<>(steps.size());
        for (StepRun step : steps) {
            stepInfos.add(new StepInfo(step.name, step.kind, step.state,
                    Collections.unmodifiableMap(new LinkedHashMap<>(step.data))));
        }
        List<String> keys = resources.stream().sorted().toList();
        return new TaskInfo(id, name, keys, user, state, progress, message, error, List.copyOf(stepInfos),
                createdAt, startedAt, finishedAt);
    }

    /** Makes the current state visible to readers. Called under this monitor. */
    TaskInfo publish() {
        TaskInfo info = snapshot();
        view = info;
        return info;
    }

    TaskInfo view() {
        return view;
    }

    /** One step's mutable state. */
    static final class StepRun {
        final String name;
        final String kind;
        StepState state;
        final Map<String, String> data;

        StepRun(String name, String kind, StepState state, Map<String, String> data) {
            this.name = name;
            this.kind = kind;
            this.state = state;
            this.data = data;
        }
    }
}
