package io.skiff.api.model;

/** Where one step of a task stands. */
public enum StepState {
    PENDING, APPLYING, APPLIED, UNDOING, UNDONE, UNDO_FAILED
}
