package io.skiff.api.spi;

/**
 * A change in a domain's life the hypervisor tells of as it happens (libvirt's domain lifecycle events).
 *
 * @param instanceId the instance whose domain it is (only Skiff's domains are told of)
 * @param kind what happened
 * @param detail the hypervisor's own word for why, e.g. {@code FAILED} or {@code SHUTDOWN} for a stop
 */
public record DomainLifecycleEvent(String instanceId, Kind kind, String detail) {

    /** What happened to the domain. */
    public enum Kind {
        /** It started (or was restored, or arrived by migration). */
        STARTED,
        /**
         * It stopped because its QEMU crashed, failed or was killed: a failure.
         */
        CRASHED,
        /** The guest panicked (the domain may still exist as crashed, or be gone). */
        PANICKED,
        /** The guest shut itself down, or the host asked it to and it did. */
        SHUT_DOWN,
        /** It was forced off (destroyed) from the host. */
        DESTROYED,
        /** It stopped because it moved away, was saved, or was reverted to a snapshot: not the guest's doing. */
        STOPPED_OTHER
    }
}
