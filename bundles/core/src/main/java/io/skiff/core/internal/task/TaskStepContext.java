package io.skiff.core.internal.task;

import io.skiff.api.model.TaskState;
import io.skiff.api.task.StepContext;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** What a step sees while it applies or undoes; recording journals the task before returning. */
final class TaskStepContext implements StepContext {
    private final TaskJournal journal;
    private final TaskRun run;
    private final int index;

    TaskStepContext(TaskJournal journal, TaskRun run, int index) {
        this.journal = journal;
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
        record(Map.of(key, value));
    }

    @Override
    public void record(Map<String, String> facts) {
        Map<String, String> copy = new LinkedHashMap<>(facts);
        copy.forEach((key, value) -> {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value of " + key);
        });
        if (!copy.isEmpty()) {
            journal.persist(run, r -> r.steps.get(index).data.putAll(copy));
        }
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
