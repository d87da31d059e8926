package io.skiff.libvirt;

import io.skiff.api.service.SkiffException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reconnection logic of {@link LibvirtConnection}. Connections are real ones to <b>libvirt's test driver</b>
 * ({@code test:///default}); "libvirtd is down" is simulated by an endpoint that fails to open (it opens a
 * test-driver file that does not exist, a real libvirt error) and "the connection died" by an endpoint that
 * reports a connection as not alive, as {@code virConnectIsAlive} does after libvirtd went away.
 */
@DisplayName("LibvirtConnection reconnects (libvirt test driver)")
class LibvirtConnectionTest {

    /** An endpoint whose daemon can be "down" and whose connections can "die". */
    static final class FlakyEndpoint implements LibvirtConnection.Endpoint {
        volatile boolean down;
        final List<Connect> dead = new ArrayList<>();
        final List<Connect> opened = new ArrayList<>();
        final List<Connect> closed = new ArrayList<>();
        final AtomicInteger attempts = new AtomicInteger();

        @Override
        public synchronized Connect open(String uri) throws LibvirtException {
            attempts.incrementAndGet();
            if (down) {
                return new Connect("test:///skiff/no/such/file.xml", false); // fails: a real LibvirtException
            }
            Connect c = new Connect(uri, false);
            opened.add(c);
            return c;
        }

        @Override
        public synchronized boolean isAlive(Connect connect) {
            return !dead.contains(connect);
        }

        @Override
        public synchronized void close(Connect connect) {
            closed.add(connect);
            LibvirtConnection.LIBVIRT.close(connect);
        }

        synchronized void kill(Connect c) {
            dead.add(c);
        }

        synchronized Connect last() {
            return opened.get(opened.size() - 1);
        }
    }

    private final FlakyEndpoint endpoint = new FlakyEndpoint();
    private final AtomicLong clock = new AtomicLong();
    private final LibvirtConnection connection = new LibvirtConnection("test:///default", endpoint,
            Duration.ofMillis(100), Duration.ofMillis(800), clock::get);

    @AfterEach
    void close() {
        connection.close();
    }

    @Test
    void opensLazilyAndReusesTheConnection() throws Exception {
        assertEquals(0, endpoint.attempts.get());
        assertEquals("TEST", connection.call(Connect::getType).toUpperCase());
        connection.call(Connect::getType);
        assertEquals(1, endpoint.attempts.get());
        assertEquals(1, connection.openedCount());
    }

    @Test
    void reopensAConnectionFoundDeadBeforeACall() throws Exception {
        connection.call(Connect::getType);
        Connect first = endpoint.last();
        endpoint.kill(first);
        connection.call(Connect::getType);
        assertEquals(2, connection.openedCount());
        assertTrue(endpoint.closed.contains(first), "the dead connection is closed");
    }

    @Test
    void retriesOnceOnAFreshConnectionWhenTheConnectionDiesDuringACall() throws Exception {
        connection.call(Connect::getType);
        AtomicInteger runs = new AtomicInteger();
        String type = connection.call(c -> {
            if (runs.incrementAndGet() == 1) {
                endpoint.kill(c);
                c.domainLookupByName("skiff-no-such-domain"); // a real libvirt error
            }
            return c.getType();
        });
        assertEquals("TEST", type.toUpperCase());
        assertEquals(2, runs.get());
        assertEquals(2, connection.openedCount());
    }

    @Test
    void passesOnErrorsOfALiveConnectionWithoutReconnecting() throws Exception {
        LibvirtException e = assertThrows(LibvirtException.class,
                () -> connection.call(c -> c.domainLookupByName("skiff-no-such-domain")));
        assertTrue(LibvirtErrors.reason(e).toLowerCase().contains("not found"), LibvirtErrors.reason(e));
        assertEquals(1, connection.openedCount());
    }

    @Test
    void backsOffWhileLibvirtdIsDownAndReconnectsWhenItIsBack() throws Exception {
        endpoint.down = true;
        SkiffException first = assertThrows(SkiffException.class, () -> connection.call(Connect::getType));
        assertEquals(SkiffException.Kind.UNAVAILABLE, first.kind());
        assertTrue(first.getMessage().contains("test:///default"), first.getMessage());
        assertEquals(1, endpoint.attempts.get());

        // within the back-off (100 ms): fail fast, no new attempt
        clock.addAndGet(Duration.ofMillis(50).toNanos());
        SkiffException fast = assertThrows(SkiffException.class, () -> connection.call(Connect::getType));
        assertTrue(fast.getMessage().contains("next attempt in"), fast.getMessage());
        assertEquals(1, endpoint.attempts.get());

        // after it: a new attempt, and the back-off doubles (200 ms)
        clock.addAndGet(Duration.ofMillis(60).toNanos());
        assertThrows(SkiffException.class, () -> connection.call(Connect::getType));
        assertEquals(2, endpoint.attempts.get());
        clock.addAndGet(Duration.ofMillis(150).toNanos());
        assertThrows(SkiffException.class, () -> connection.call(Connect::getType));
        assertEquals(2, endpoint.attempts.get(), "200 ms back-off not over yet");

        // the back-off is capped (800 ms)
        for (int i = 0; i < 6; i++) {
            clock.addAndGet(Duration.ofMillis(801).toNanos());
            assertThrows(SkiffException.class, () -> connection.call(Connect::getType));
        }
        assertEquals(8, endpoint.attempts.get());

        endpoint.down = false;
        clock.addAndGet(Duration.ofMillis(801).toNanos());
        assertEquals("TEST", connection.call(Connect::getType).toUpperCase());
        // healthy again: the back-off starts over
        endpoint.kill(endpoint.last());
        endpoint.down = true;
        assertThrows(SkiffException.class, () -> connection.call(Connect::getType));
        endpoint.down = false;
        clock.addAndGet(Duration.ofMillis(101).toNanos());
        connection.call(Connect::getType);
        assertEquals(2, connection.openedCount());
    }

    @Test
    void aCallThatLosesItsConnectionTriesAtOnceDespiteTheBackOff() throws Exception {
        connection.call(Connect::getType);
        // libvirtd restarted while the call ran: the first failure reconnects without waiting
        AtomicInteger runs = new AtomicInteger();
        connection.call(c -> {
            if (runs.incrementAndGet() == 1) {
                endpoint.kill(c);
                throw lookupError(c);
            }
            return null;
        });
        assertEquals(2, runs.get());
    }

    @Test
    void closesARetiredConnectionOnlyWhenItsLastCallReturns() throws Exception {
        connection.call(Connect::getType);
        Connect first = endpoint.last();
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<String> slow = pool.submit(() -> connection.call(c -> {
                inside.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return c.getType();
            }));
            assertTrue(inside.await(10, TimeUnit.SECONDS));
            endpoint.kill(first);
            connection.call(Connect::getType); // reconnects; the old one is still in use
            assertFalse(endpoint.closed.contains(first), "not closed under a running call");
            // the slow call's connection is "dead": its error-free result still comes back
            release.countDown();
            assertEquals("TEST", slow.get(10, TimeUnit.SECONDS).toUpperCase());
            assertTrue(endpoint.closed.contains(first), "closed once the call returned");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aClosedConnectionRefusesCalls() throws Exception {
        connection.call(Connect::getType);
        connection.close();
        SkiffException e = assertThrows(SkiffException.class, () -> connection.call(Connect::getType));
        assertEquals(SkiffException.Kind.UNAVAILABLE, e.kind());
        assertEquals(1, endpoint.closed.size());
    }

    @Test
    void manyThreadsShareOneConnection() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                futures.add(pool.submit(() -> connection.call(c -> c.listDefinedDomains())));
            }
            for (Future<?> f : futures) {
                f.get(10, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, connection.openedCount());
    }

    private static LibvirtException lookupError(Connect c) {
        try {
            c.domainLookupByName("skiff-no-such-domain");
            throw new AssertionError("expected a libvirt error");
        } catch (LibvirtException e) {
            return e;
        }
    }
}
