package io.skiff.api.model;

/**
 * Where a task stands. {@code FAILED} tasks have had their applied steps undone. A task stays {@code ROLLING_BACK}
 * while an undo waits to be retried (a cell offline or not ready yet); it ends {@code ROLLBACK_FAILED} only when an
 * undo cannot succeed by waiting: then what it took is still taken, its error says what and where, and an operator
 * may retry the rollback.
 */
public enum TaskState {
    QUEUED, RUNNING, ROLLING_BACK, SUCCEEDED, FAILED, ROLLBACK_FAILED;

    /** @return whether the task has ended */
    public boolean finished() {
        return this == SUCCEEDED || this == FAILED || this == ROLLBACK_FAILED;
    }
}
