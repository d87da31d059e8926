package io.skiff.api.spi;

/** State of a hypervisor domain. */
public enum DomainState {
    RUNNING, PAUSED, SHUT_OFF, CRASHED, UNKNOWN
}
