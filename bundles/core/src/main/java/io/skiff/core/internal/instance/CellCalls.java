package io.skiff.core.internal.instance;

import io.skiff.api.service.SkiffException;
import io.skiff.api.transport.ClusterTransport;
import io.skiff.api.transport.RemoteException;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Requests from the Core to a cell, waited for within a task step. An error the cell raised comes back as the same
 * {@link SkiffException} (kind, code and field as the cell gave them); a cell that cannot be reached, does not answer
 * in time or is not ready yet gives an {@code UNAVAILABLE} one, which the task engine treats as worth a retry.
 */
public class CellCalls {
    /** The code of a cell's error for a disk index the instance does not have (remove, usage, resize, ...). */
    public static final String NO_SUCH_DISK = "no-such-disk";
    private final ClusterTransport transport;
    private final Duration timeout;

    public CellCalls(ClusterTransport transport, Duration timeout) {
        this.transport = transport;
        this.timeout = timeout;
    }

    public <R> R call(String cell, String type, Object body, Class<R> reply) {
        try {
            return transport.request(cell, type, body, reply, timeout)
                    .get(timeout.toMillis() + 5000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof RemoteException remote) {
                throw new CellError(cell, type, remote);
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

    /** An error the cell raised, as the same kind, code and field, with its own message apart. */
    public static final class CellError extends SkiffException {
        private static final long serialVersionUID = 1L;
        private final String cellMessage;

        CellError(String cell, String type, RemoteException remote) {
            super(remote.kind(), remote.code(), "cell " + cell + " could not " + type + ": " + remote.remoteMessage(),
                    remote.field());
            this.cellMessage = remote.remoteMessage();
        }

        /** @return the message as the cell wrote it */
        public String cellMessage() {
            return cellMessage;
        }
    }
}
