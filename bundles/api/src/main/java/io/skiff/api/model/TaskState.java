package io.skiff.api.model;

/** Where a task stands. FAILED tasks have had their applied steps undone. */
public enum TaskState {
    QUEUED, RUNNING, ROLLING_BACK, SUCCEEDED, FAILED;

    /** @return whether the task has ended */
    public boolean finished() {
        return this == SUCCEEDED || this == FAILED;
    }
}
