package io.skiff.api.cell;

import io.skiff.api.service.SkiffException;
import io.skiff.api.transport.RemoteException;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits for a cell's reply, the one way every caller of a cell does: an error the cell raised comes back as a
 * {@link CellFailure} (the same kind, code and field); a cell that cannot be reached, does not answer in time, or a
 * caller interrupted gives an {@code UNAVAILABLE} {@link SkiffException}, which the task engine treats as worth a
 * retry.
 */
public final class CellReplies {

    private CellReplies() {
    }

    /**
     * @param reply the transport's future of the request
     * @param cell the cell asked
     * @param type the request's message type
     * @param timeout the request's time-out (the wait allows 5 s more, for the transport's own time-out to answer)
     * @return the reply
     */
    public static <R> R await(CompletableFuture<R> reply, String cell, String type, Duration timeout) {
        try {
            return reply.get(timeout.toMillis() + 5000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw failure(e.getCause() == null ? e : e.getCause(), cell, type, timeout);
        } catch (TimeoutException e) {
            throw failure(e, cell, type, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SkiffException(SkiffException.Kind.UNAVAILABLE, "interrupted", "interrupted", null);
        }
    }

    /**
     * The reply without waiting for it: as {@link #await}, but as a future, failed with the same errors (since
     * version 0.10 of this package).
     *
     * @param reply the transport's future of the request
     * @param cell the cell asked
     * @param type the request's message type
     * @param timeout the request's time-out (the future fails 5 s later, if the transport's own time-out did not)
     * @return the reply, or failed with a {@link CellFailure} or an {@code UNAVAILABLE} {@link SkiffException}
     */
    public static <R> CompletableFuture<R> of(CompletableFuture<R> reply, String cell, String type,
                                              Duration timeout) {
        return reply.copy().orTimeout(timeout.toMillis() + 5000, TimeUnit.MILLISECONDS).handle((value, error) -> {
            if (error == null) {
                return value;
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause()
                    : error;
            throw failure(cause, cell, type, timeout);
        });
    }

    private static SkiffException failure(Throwable cause, String cell, String type, Duration timeout) {
        if (cause instanceof RemoteException remote) {
            return new CellFailure(cell, type, remote);
        }
        if (cause instanceof TimeoutException) {
            return new SkiffException(SkiffException.Kind.UNAVAILABLE, "cell-timeout",
                    "cell " + cell + " did not answer " + type + " within " + timeout.toSeconds() + " s", null);
        }
        return new SkiffException(SkiffException.Kind.UNAVAILABLE, "cell-unreachable",
                "cell " + cell + " could not " + type + ": " + cause.getMessage(), null);
    }
}
