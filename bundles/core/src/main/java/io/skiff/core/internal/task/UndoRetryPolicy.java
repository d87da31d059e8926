package io.skiff.core.internal.task;

import io.skiff.api.service.SkiffException;
import io.skiff.api.transport.RemoteException;
import io.skiff.api.transport.TransportException;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Decides whether a failed undo is tried again, and when. An undo must never give up on something that waiting can
 * cure: a failure is <em>transient</em> when a node or provider is unavailable ({@link SkiffException.Kind#UNAVAILABLE},
 * which covers a cell that is offline, not ready yet or slow to answer), when the transport could not deliver or
 * timed out, or when no undo handler is registered yet; those are retried for ever, with a delay that doubles from
 * {@code initialDelay} up to {@code maxDelay}. Any other failure is retried {@code otherAttempts} times in all, then
 * the rollback gives up on that step (the task ends {@code ROLLBACK_FAILED}).
 *
 * @param initialDelay the delay before the second attempt
 * @param maxDelay the longest delay between two attempts
 * @param otherAttempts how many attempts a failure that is not transient gets in all (at least 1)
 */
public record UndoRetryPolicy(Duration initialDelay, Duration maxDelay, int otherAttempts) {

    /** 1 s doubling up to 30 s; three attempts for failures that are not transient. */
    public static final UndoRetryPolicy DEFAULT = new UndoRetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(30), 3);

    public UndoRetryPolicy {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("need 0 <= initialDelay <= maxDelay, not " + initialDelay + ", "
                    + maxDelay);
        }
        if (otherAttempts < 1) {
            throw new IllegalArgumentException("otherAttempts must be at least 1, not " + otherAttempts);
        }
    }

    /**
     * @param failure why the undo failed
     * @param attempt how many attempts have been made, this one included (1 after the first)
     * @return how long to wait before the next attempt, or empty to give up
     */
    public Optional<Duration> nextDelay(Throwable failure, int attempt) {
        if (!isTransient(failure) && attempt >= otherAttempts) {
            return Optional.empty();
        }
        return Optional.of(delay(attempt));
    }

    /** @return the delay after the given number of attempts: initial, doubled each time, at most the maximum */
    Duration delay(int attempt) {
        int doublings = Math.max(0, Math.min(attempt - 1, 30));
        long millis = initialDelay.toMillis() << doublings;
        return millis < 0 || millis > maxDelay.toMillis() ? maxDelay : Duration.ofMillis(millis);
    }

    /** @return whether waiting may cure this failure */
    public static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SkiffException e) {
                return e.kind() == SkiffException.Kind.UNAVAILABLE;
            }
            if (t instanceof RemoteException e) {
                return e.kind() == SkiffException.Kind.UNAVAILABLE;
            }
            if (t instanceof TransportException || t instanceof TimeoutException
                    || t instanceof InterruptedException || t instanceof MissingUndoHandler) {
                return true;
            }
            if (!(t instanceof CompletionException || t instanceof ExecutionException)) {
                return false;
            }
        }
        return false;
    }

    /** No handler is registered (yet) for a step kind: its bundle may still be starting. */
    static final class MissingUndoHandler extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MissingUndoHandler(String kind) {
            super("no undo handler registered for step kind '" + kind + "'");
        }
    }
}
