package io.skiff.api.model;

/** Life-cycle state of an instance. */
public enum InstanceState {
    CREATING, STOPPED, STARTING, RUNNING, STOPPING, DELETING, ERROR
}
