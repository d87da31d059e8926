package io.skiff.core.internal.task;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The asynchronous steps at work, each watched until it completes: one still at work after its time-out counts as
 * failed (its own work may go on; the step's undo is idempotent and gives back what it took), and an engine that
 * stops waits for the others first.
 */
final class StepsInFlight {
    private final ScheduledExecutorService timer;
    /** Guarded by this. */
    private int count;

    StepsInFlight(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    /**
     * @param step a step's stage, not completed yet
     * @param timeout how long it may take
     * @param expired the failure of a step that took longer
     * @return completed as the step, or failed with {@code expired} after the time-out
     */
    CompletableFuture<Void> watch(CompletableFuture<Void> step, Duration timeout, Supplier<TimeoutException> expired) {
        CompletableFuture<Void> watched = new CompletableFuture<>();
        synchronized (this) {
            count++;
        }
        ScheduledFuture<?> alarm;
        try {
            alarm = timer.schedule(() -> watched.completeExceptionally(expired.get()), timeout.toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            alarm = null; // the engine stops; it waits for the step instead
        }
        ScheduledFuture<?> scheduled = alarm;
        watched.whenComplete((v, t) -> {
            if (scheduled != null) {
                scheduled.cancel(false);
            }
            synchronized (this) {
                count--;
                notifyAll();
            }
        });
        step.whenComplete((v, t) -> {
            if (t == null) {
                watched.complete(null);
            } else {
                watched.completeExceptionally(t);
            }
        });
        return watched;
    }

    /** @return how many steps are at work */
    synchronized int count() {
        return count;
    }

    /** @return whether no step is at work any more, after waiting up to {@code wait} for them */
    synchronized boolean awaitNone(Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (count > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }
}
