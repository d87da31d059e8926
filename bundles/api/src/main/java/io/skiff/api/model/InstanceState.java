package io.skiff.api.model;

/** Life-cycle state of an instance. */
public enum InstanceState {
    CREATING, STOPPED, STARTING, RUNNING, STOPPING, DELETING, ERROR,
    /** Moving to another cell (live, or cold when stopped); {@code lastError} unchanged. */
    MIGRATING,
    /**
     * Its cell is lost (offline since the Core noticed it): nobody can say whether it runs; {@code lastError} says
     * since when. An instance of a failover pool is started elsewhere; others wait for their cell (since 2.3).
     */
    UNKNOWN
}
