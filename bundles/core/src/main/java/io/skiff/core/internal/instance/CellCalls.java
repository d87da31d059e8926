package io.skiff.core.internal.instance;

import io.skiff.api.service.SkiffException;
import io.skiff.api.transport.ClusterTransport;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Requests from the Core to a cell, waited for within a task step. */
public class CellCalls {
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
            throw new SkiffException(SkiffException.Kind.UNAVAILABLE, "cell-failed",
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
