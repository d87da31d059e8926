package io.skiff.rest.internal;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Health says UP only once the whiteboard's bindings have stayed the same for the settle time. */
class SettleTimerTest {
    private static final long MS = 1_000_000L;

    @Test
    void settlesAfterTheTimeWithTheSameValue() {
        SettleTimer t = new SettleTimer(1000);
        assertFalse(t.settled("a", 0), "first sight");
        assertFalse(t.settled("a", 999 * MS));
        assertTrue(t.settled("a", 1000 * MS));
        assertTrue(t.settled("a", 5000 * MS));
    }

    @Test
    void aChangeOrNotReadyStartsAgain() {
        SettleTimer t = new SettleTimer(1000);
        t.settled("a", 0);
        assertFalse(t.settled("b", 1500 * MS), "changed");
        assertFalse(t.settled("b", 2400 * MS));
        assertTrue(t.settled("b", 2500 * MS));
        assertFalse(t.settled(null, 3000 * MS), "not ready");
        assertFalse(t.settled("b", 3500 * MS), "ready again: the wait starts over");
        assertTrue(t.settled("b", 4500 * MS));
    }
}
