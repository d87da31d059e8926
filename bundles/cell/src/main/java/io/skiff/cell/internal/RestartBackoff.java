package io.skiff.cell.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * When an instance is restarted, and whether at all: the first restart within the window waits {@code first}, each
 * further one twice as long as the one before, up to {@code max}; after {@code limit} restarts within {@code window}
 * there is none (the instance stays stopped) until the oldest of them has left the window. Thread-safe.
 */
final class RestartBackoff {
    private final Clock clock;
    private final Duration first;
    private final Duration max;
    private final int limit;
    private final Duration window;
    private final Map<String, Deque<Instant>> restarts = new HashMap<>();

    RestartBackoff(Clock clock, Duration first, Duration max, int limit, Duration window) {
        this.clock = clock;
        this.first = first;
        this.max = max;
        this.limit = limit;
        this.window = window;
    }

    /** 1 s doubling to 60 s; at most 5 restarts in 10 minutes. */
    static RestartBackoff standard(Clock clock) {
        return new RestartBackoff(clock, Duration.ofSeconds(1), Duration.ofSeconds(60), 5, Duration.ofMinutes(10));
    }

    /**
     * Counts a restart of the instance now, when the limit allows one.
     *
     * @return the back-off in milliseconds to wait before it, or empty when the limit is reached (nothing counted)
     */
    synchronized OptionalLong next(String instanceId) {
        Instant now = clock.instant();
        Deque<Instant> times = restarts.computeIfAbsent(instanceId, id -> new ArrayDeque<>());
        while (!times.isEmpty() && !times.peekFirst().isAfter(now.minus(window))) {
            times.removeFirst();
        }
        if (times.size() >= limit) {
            return OptionalLong.empty();
        }
        long delay = first.toMillis() << Math.min(times.size(), 30);
        times.addLast(now);
        return OptionalLong.of(Math.min(delay, max.toMillis()));
    }

    /** @return how many restarts of the instance are within the window now */
    synchronized int count(String instanceId) {
        Deque<Instant> times = restarts.get(instanceId);
        if (times == null) {
            return 0;
        }
        Instant now = clock.instant();
        return (int) times.stream().filter(t -> t.isAfter(now.minus(window))).count();
    }

    int limit() {
        return limit;
    }

    Duration window() {
        return window;
    }

    /** Forgets an instance (deleted, or moved away). */
    synchronized void forget(String instanceId) {
        restarts.remove(instanceId);
    }
}
