package io.skiff.rest.internal;

/**
 * Says whether a value has stayed the same for a given time, as seen by successive calls (health requests).
 * A null value (not ready) restarts the wait.
 */
final class SettleTimer {
    private final long settleNanos;
    private String last;
    private long since;

    SettleTimer(long settleMillis) {
        this.settleNanos = settleMillis * 1_000_000L;
    }

    /** @return whether {@code value} is non-null and was the same at every call for {@code settleMillis} up to {@code nowNanos} */
    synchronized boolean settled(String value, long nowNanos) {
        if (value == null || !value.equals(last)) {
            last = value;
            since = nowNanos;
            return false;
        }
        return nowNanos - since >= settleNanos;
    }
}
