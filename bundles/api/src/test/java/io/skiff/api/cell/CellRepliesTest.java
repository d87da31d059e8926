package io.skiff.api.cell;

import io.skiff.api.service.SkiffException;
import io.skiff.api.transport.RemoteException;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A reply read without waiting fails exactly as one waited for. */
class CellRepliesTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static SkiffException failureOf(CompletableFuture<Ack> reply) {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> CellReplies.of(reply, "cell-a", CellProtocol.START, TIMEOUT).get(5, TimeUnit.SECONDS));
        SkiffException asFuture = assertInstanceOf(SkiffException.class, e.getCause());
        SkiffException waited = assertThrows(SkiffException.class,
                () -> CellReplies.await(reply, "cell-a", CellProtocol.START, TIMEOUT));
        assertEquals(waited.getClass(), asFuture.getClass());
        assertEquals(waited.getMessage(), asFuture.getMessage());
        return asFuture;
    }

    @Test
    void theReplyComesThrough() throws Exception {
        Ack ack = new Ack("i-1", "running");
        assertEquals(ack, CellReplies.of(CompletableFuture.completedFuture(ack), "cell-a", CellProtocol.START, TIMEOUT)
                .get(5, TimeUnit.SECONDS));
    }

    @Test
    void theCellsErrorKeepsItsKindCodeAndField() {
        SkiffException e = failureOf(CompletableFuture.failedFuture(new RemoteException("cell-a", CellProtocol.START,
                SkiffException.Kind.CONFLICT, "busy", "state", "the domain is being migrated")));
        assertInstanceOf(CellFailure.class, e);
        assertEquals(SkiffException.Kind.CONFLICT, e.kind());
        assertEquals("state", e.field());
    }

    @Test
    void anUnreachableCellIsUnavailable() {
        SkiffException e = failureOf(CompletableFuture.failedFuture(new ConnectException("connection refused")));
        assertEquals(SkiffException.Kind.UNAVAILABLE, e.kind());
        assertEquals("cell-unreachable", e.code());
    }
}
