package io.skiff.core.internal.task;

import io.skiff.api.service.SkiffException;
import io.skiff.api.transport.RemoteException;
import io.skiff.api.transport.TransportException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UndoRetryPolicyTest {
    private final UndoRetryPolicy policy = new UndoRetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(30), 3);

    @Test
    void whatWaitingCanCureIsTransient() {
        assertTrue(UndoRetryPolicy.isTransient(SkiffException.unavailable("cell vm is offline")));
        assertTrue(UndoRetryPolicy.isTransient(SkiffException.providerUnavailable("Hypervisor", "libvirt", "vm")));
        assertTrue(UndoRetryPolicy.isTransient(new TransportException("no node vm in domain skiff")));
        assertTrue(UndoRetryPolicy.isTransient(new CompletionException(new TimeoutException())));
        assertTrue(UndoRetryPolicy.isTransient(new RemoteException("vm", "instance.stop",
                SkiffException.Kind.UNAVAILABLE, "not-ready", null, "no handler for instance.stop (not ready)")));
        assertTrue(UndoRetryPolicy.isTransient(new UndoRetryPolicy.MissingUndoHandler("cell.define")));
    }

    @Test
    void whatWaitingCannotCureIsNot() {
        assertFalse(UndoRetryPolicy.isTransient(SkiffException.conflict("instance", "domain is locked")));
        assertFalse(UndoRetryPolicy.isTransient(new RemoteException("vm", "instance.undefine",
                SkiffException.Kind.INTERNAL, "handler-failed", null, "libvirt: operation failed")));
        assertFalse(UndoRetryPolicy.isTransient(new IOException("disk full")));
        assertFalse(UndoRetryPolicy.isTransient(new CompletionException(new IllegalStateException("bug"))));
    }

    @Test
    void transientFailuresAreRetriedForEverWithADoublingCappedDelay() {
        Throwable offline = SkiffException.unavailable("cell vm is offline");
        assertEquals(Optional.of(Duration.ofSeconds(1)), policy.nextDelay(offline, 1));
        assertEquals(Optional.of(Duration.ofSeconds(2)), policy.nextDelay(offline, 2));
        assertEquals(Optional.of(Duration.ofSeconds(16)), policy.nextDelay(offline, 5));
        assertEquals(Optional.of(Duration.ofSeconds(30)), policy.nextDelay(offline, 6));
        assertEquals(Optional.of(Duration.ofSeconds(30)), policy.nextDelay(offline, 10_000));
    }

    @Test
    void otherFailuresGetAFewAttemptsThenTheRollbackGivesUp() {
        Throwable refused = SkiffException.conflict("instance", "domain is locked");
        assertEquals(Optional.of(Duration.ofSeconds(1)), policy.nextDelay(refused, 1));
        assertEquals(Optional.of(Duration.ofSeconds(2)), policy.nextDelay(refused, 2));
        assertEquals(Optional.empty(), policy.nextDelay(refused, 3));
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new UndoRetryPolicy(Duration.ofSeconds(5), Duration.ofSeconds(1), 3));
        assertThrows(IllegalArgumentException.class,
                () -> new UndoRetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(5), 0));
    }
}
