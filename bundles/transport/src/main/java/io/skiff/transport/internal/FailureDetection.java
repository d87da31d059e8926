package io.skiff.transport.internal;

import java.time.Duration;

/**
 * How fast the cluster transport gives up on a silent member, as JGroups' protocols count it: FD_ALL3 multicasts a
 * heartbeat every {@code interval} and suspects a member from which nothing (heartbeat or message) arrived in
 * {@code timeout} (it keeps {@code timeout / interval} bits per member and clears one per interval, so the suspicion
 * comes between {@code timeout} and {@code timeout + interval} after the last message); VERIFY_SUSPECT2 then asks the
 * suspect once and removes it when no answer came within about {@code verifySuspectTimeout}. FD_SOCK2 notices a
 * crashed process (its socket closes) at once; a host that vanishes from the network, or a partition, is left to
 * FD_ALL3. With the defaults (3 s, 1 s, 1 s) a dead host leaves the view within about 5 s; a member that is merely
 * slow still sends heartbeats from JGroups' own threads and is not suspected.
 *
 * @param timeout FD_ALL3 {@code timeout}
 * @param interval FD_ALL3 {@code interval}, shorter than {@code timeout}
 * @param verifySuspectTimeout VERIFY_SUSPECT2 {@code timeout}
 */
public record FailureDetection(Duration timeout, Duration interval, Duration verifySuspectTimeout) {
    /** 3 s without a heartbeat, one every second, 1 s to verify a suspicion. */
    public static final FailureDetection DEFAULT =
            new FailureDetection(Duration.ofMillis(3_000), Duration.ofMillis(1_000), Duration.ofMillis(1_000));

    public FailureDetection {
        requirePositive(timeout, "failureDetectionTimeoutMs");
        requirePositive(interval, "failureDetectionIntervalMs");
        requirePositive(verifySuspectTimeout, "verifySuspectTimeoutMs");
        if (interval.compareTo(timeout) >= 0) {
            throw new IllegalArgumentException("failureDetectionIntervalMs (" + interval.toMillis()
                    + ") must be shorter than failureDetectionTimeoutMs (" + timeout.toMillis() + ")");
        }
    }

    /** @return about the longest time from a member's last message until it leaves the view */
    public Duration worstCase() {
        return timeout.plus(interval).plus(verifySuspectTimeout);
    }

    private static void requirePositive(Duration value, String name) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
