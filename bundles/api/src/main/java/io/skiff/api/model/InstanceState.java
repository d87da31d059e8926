package io.skiff.api.model;

/** Life-cycle state of an instance. */
public enum InstanceState {
    CREATING, STOPPED, STARTING, RUNNING, STOPPING, DELETING, ERROR,
    /** Moving to another cell (live, or cold when stopped); {@code lastError} unchanged. */
    MIGRATING
}
