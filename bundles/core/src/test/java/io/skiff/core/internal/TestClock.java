package io.skiff.core.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The clock of the Core's unit tests, in UTC: it stands still until the test moves it on ({@link #at}), or each
 * reading is one tick after the previous one, so that timestamps order events deterministically ({@link #ticking}).
 */
public final class TestClock extends Clock {
    private final AtomicReference<Instant> now;
    private final Duration tick;

    private TestClock(Instant start, Duration tick) {
        this.now = new AtomicReference<>(start);
        this.tick = tick;
    }

    /** @return a clock standing at {@code instant} (ISO-8601) until {@link #advance} */
    public static TestClock at(String instant) {
        return new TestClock(Instant.parse(instant), Duration.ZERO);
    }

    /** @return a clock that reads {@code instant} (ISO-8601) first and {@code tick} later at each further reading */
    public static TestClock ticking(String instant, Duration tick) {
        return new TestClock(Instant.parse(instant), tick);
    }

    /** Moves the clock on by {@code d}. */
    public void advance(Duration d) {
        now.updateAndGet(t -> t.plus(d));
    }

    @Override
    public Instant instant() {
        return now.getAndUpdate(t -> t.plus(tick));
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
