package io.skiff.api.cell;

import io.skiff.api.service.SkiffException;
import io.skiff.api.transport.RemoteException;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
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
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof RemoteException remote) {
                throw new CellFailure(cell, type, remote);
            }
            throw new SkiffException(SkiffException.Kind.UNAVAILABLE, "cell-unreachable",
                    "cell " + cell + " could not " + type + ": " + cause.getMessage(), null);
        } catch (TimeoutException e) {
            throw new SkiffException(SkiffException.Kind.UNAVAILABLE, "cell-timeout",
                    "cell " + cell + " did not answer " + type + " within " + timeout.toSeconds() + " s", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SkiffException(SkiffException.Kind.UNAVAILABLE, "interrupted", "interrupted", null);
        }
    }
}
