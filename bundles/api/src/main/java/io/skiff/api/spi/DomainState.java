package io.skiff.api.spi;

/** State of a hypervisor domain. {@code UNDEFINED}: the hypervisor has no domain for the instance. */
public enum DomainState {
    RUNNING, PAUSED, SHUT_OFF, CRASHED, UNDEFINED, UNKNOWN
}
