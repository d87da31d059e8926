package io.skiff.cell.internal;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The back-off of restarts doubles from 1 s to 60 s, and stops at the limit within the window (injected clock). */
@DisplayName("Restart back-off and limit (unit)")
class RestartBackoffTest {
    private final MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void theStandardBackOffDoublesFromOneSecondAndStopsAfterFiveInTenMinutes() {
        RestartBackoff b = RestartBackoff.standard(clock);
        for (long expected : new long[] {1000, 2000, 4000, 8000, 16000}) {
            assertEquals(OptionalLong.of(expected), b.next("i-1"));
            clock.advance(Duration.ofSeconds(30));
        }
        assertEquals(OptionalLong.empty(), b.next("i-1"), "the sixth within 10 minutes: stays stopped");
        assertEquals(5, b.count("i-1"));
        assertEquals(OptionalLong.of(1000), b.next("i-2"), "each instance counts for itself");
        clock.advance(Duration.ofMinutes(10).minusSeconds(150)); // the first restart has left the window
        assertEquals(OptionalLong.of(16000), b.next("i-1"), "four left in the window");
    }

    @Test
    void theBackOffStopsGrowingAtItsMaximum() {
        RestartBackoff b = new RestartBackoff(clock, Duration.ofSeconds(1), Duration.ofSeconds(60), 20,
                Duration.ofMinutes(10));
        long last = 0;
        for (int i = 0; i < 10; i++) {
            last = b.next("i-1").orElseThrow();
        }
        assertEquals(60_000, last);
    }

    @Test
    void aForgottenInstanceStartsAfresh() {
        RestartBackoff b = RestartBackoff.standard(clock);
        b.next("i-1");
        b.next("i-1");
        b.forget("i-1");
        assertEquals(OptionalLong.of(1000), b.next("i-1"));
    }
}
