package io.skiff.cell.internal;

import io.skiff.api.model.InstanceSpec;
import io.skiff.api.spi.DomainLifecycleEvent;

/**
 * Whether a guest that stopped is restarted under its instance's restart policy. A failure (QEMU crashed, failed or
 * was killed; the guest panicked) is restarted under {@code on-failure} and {@code always}; a guest that shut itself
 * down only under {@code always}; a stop Skiff asked for, a forced off from the host ({@code virsh destroy}, a
 * fence), a move, a save or a snapshot revert never.
 */
final class RestartPolicies {

    private RestartPolicies() {
    }

    /**
     * @param policy the instance's restart policy ({@code null}: never)
     * @param kind what happened to the domain
     * @param asked whether Skiff itself stopped it (a stop or delete the Core asked for)
     */
    static boolean restarts(String policy, DomainLifecycleEvent.Kind kind, boolean asked) {
        if (asked || policy == null || InstanceSpec.RESTART_NEVER.equals(policy)) {
            return false;
        }
        return switch (kind) {
            case CRASHED, PANICKED -> InstanceSpec.RESTART_ON_FAILURE.equals(policy)
                    || InstanceSpec.RESTART_ALWAYS.equals(policy);
            case SHUT_DOWN -> InstanceSpec.RESTART_ALWAYS.equals(policy);
            default -> false;
        };
    }

    /** @return why the guest stopped, in words, for the operation log */
    static String cause(DomainLifecycleEvent event) {
        String detail = event.detail() == null ? "" : " (" + event.detail() + ")";
        return switch (event.kind()) {
            case CRASHED -> "QEMU crashed or was killed" + detail;
            case PANICKED -> "the guest panicked" + detail;
            case SHUT_DOWN -> "the guest shut down" + detail;
            case DESTROYED -> "forced off from the host" + detail;
            case STOPPED_OTHER -> "stopped" + detail;
            case STARTED -> "started" + detail;
        };
    }
}
