package io.skiff.cell.internal;

import io.skiff.api.spi.DomainLifecycleEvent.Kind;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which stops each restart policy restarts. */
@DisplayName("Restart policy decisions (unit)")
class RestartPoliciesTest {

    @Test
    void neverRestartsNothing() {
        for (Kind k : Kind.values()) {
            assertFalse(RestartPolicies.restarts("never", k, false), k.name());
            assertFalse(RestartPolicies.restarts(null, k, false), k.name());
        }
    }

    @Test
    void onFailureRestartsCrashesAndPanicsOnly() {
        assertTrue(RestartPolicies.restarts("on-failure", Kind.CRASHED, false));
        assertTrue(RestartPolicies.restarts("on-failure", Kind.PANICKED, false));
        assertFalse(RestartPolicies.restarts("on-failure", Kind.SHUT_DOWN, false), "the guest shut itself down");
        assertFalse(RestartPolicies.restarts("on-failure", Kind.DESTROYED, false));
        assertFalse(RestartPolicies.restarts("on-failure", Kind.STOPPED_OTHER, false));
    }

    @Test
    void alwaysAlsoRestartsAGuestThatShutItselfDown() {
        assertTrue(RestartPolicies.restarts("always", Kind.CRASHED, false));
        assertTrue(RestartPolicies.restarts("always", Kind.SHUT_DOWN, false));
        assertFalse(RestartPolicies.restarts("always", Kind.DESTROYED, false), "forced off from the host, a fence");
        assertFalse(RestartPolicies.restarts("always", Kind.STOPPED_OTHER, false), "moved, saved or reverted");
        assertFalse(RestartPolicies.restarts("always", Kind.STARTED, false));
    }

    @Test
    void aStopSkiffAskedForIsNeverRestarted() {
        for (Kind k : Kind.values()) {
            assertFalse(RestartPolicies.restarts("always", k, true), k.name());
        }
    }
}
