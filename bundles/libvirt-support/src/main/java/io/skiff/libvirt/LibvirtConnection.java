package io.skiff.libvirt;

import io.skiff.api.service.SkiffException;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The one connection to libvirtd that every call goes through. It opens lazily, notices a dead connection (libvirtd
 * restarted or stopped) and opens a new one, retrying the failed call once on it. While libvirtd stays unreachable,
 * attempts to reconnect back off exponentially and calls in between fail fast with {@code UNAVAILABLE}, so callers
 * never hang on a dead daemon.
 *
 * <p>Thread-safe: calls run in parallel on the shared connection (libvirt's connections are thread-safe); only
 * opening and retiring take a lock. A retired connection is closed when its last call returns, so no call ever
 * uses a freed native handle.
 *
 * <p>libvirt's habit of printing every error to stderr is switched off once for the whole JVM by the
 * {@code skiff-libvirt} wrapper bundle, not here: an error function set by this class would live in each provider's
 * private copy and be freed with it when that provider is updated, while libvirt keeps calling it.
 */
public final class LibvirtConnection implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LibvirtConnection.class);

    /** One libvirt call on an open connection. */
    @FunctionalInterface
    public interface Call<T> {
        T apply(Connect connect) throws LibvirtException;
    }

    /** How connections are opened, checked and closed: libvirt itself, or a stand-in in tests. */
    public interface Endpoint {
        Connect open(String uri) throws LibvirtException;

        /** @return whether the connection still reaches libvirtd (local check, no round trip) */
        boolean isAlive(Connect connect);

        void close(Connect connect);
    }

    /** The real thing: {@code virConnectOpen}, {@code virConnectIsAlive}, {@code virConnectClose}. */
    public static final Endpoint LIBVIRT = new Endpoint() {
        @Override
        public Connect open(String uri) throws LibvirtException {
            return new Connect(uri, false);
        }

        @Override
        public boolean isAlive(Connect connect) {
            try {
                return connect.isAlive();
            } catch (LibvirtException | RuntimeException e) {
                return false;
            }
        }

        @Override
        public void close(Connect connect) {
            try {
                connect.close();
            } catch (LibvirtException | RuntimeException e) {
                LOG.debug("Closing a libvirt connection failed: {}", e.getMessage());
            }
        }
    };

    /** A connection and the number of calls using it. */
    private static final class Lease {
        final Connect connect;
        int users;
        boolean retired;

        Lease(Connect connect) {
            this.connect = connect;
        }
    }

    private final String uri;
    private final Endpoint endpoint;
    private final Duration minBackoff;
    private final Duration maxBackoff;
    private final LongSupplier nanoTime;

    private final Object lock = new Object();
    private Lease current;
    private boolean closed;
    private long backoffNanos;
    private long nextAttemptNanos;
    private String lastFailure;
    private long opened;

    public LibvirtConnection(String uri) {
        this(uri, LIBVIRT, Duration.ofMillis(250), Duration.ofSeconds(10), System::nanoTime);
    }

    public LibvirtConnection(String uri, Endpoint endpoint, Duration minBackoff, Duration maxBackoff, LongSupplier nanoTime) {
        this.uri = uri;
        this.endpoint = endpoint;
        this.minBackoff = minBackoff;
        this.maxBackoff = maxBackoff;
        this.nanoTime = nanoTime;
        this.backoffNanos = 0;
    }

    public String uri() {
        return uri;
    }

    /** @return how many connections were opened so far (reconnections show as more than one) */
    public long openedCount() {
        synchronized (lock) {
            return opened;
        }
    }

    /**
     * Runs a call on the connection, reconnecting first when it is dead, and once more on a fresh connection when
     * the call fails because the connection died under it.
     *
     * @throws LibvirtException libvirt's error, when the connection is fine but the call failed
     * @throws SkiffException {@code UNAVAILABLE} when libvirtd cannot be reached
     */
    public <T> T call(Call<T> call) throws LibvirtException {
        Lease lease = acquire(false);
        try {
            return call.apply(lease.connect);
        } catch (LibvirtException e) {
            if (endpoint.isAlive(lease.connect)) {
                throw e;
            }
            LOG.warn("Connection to libvirt at {} lost ({}); reconnecting", uri, LibvirtErrors.reason(e));
            retire(lease);
        } finally {
            release(lease);
        }
        // libvirtd may already be back (a restart): try at once, without waiting for the back-off
        Lease fresh = acquire(true);
        try {
            return call.apply(fresh.connect);
        } finally {
            release(fresh);
        }
    }

    private Lease acquire(boolean immediate) {
        synchronized (lock) {
            if (closed) {
                throw SkiffException.unavailable("the libvirt connection to " + uri + " is closed");
            }
            if (current != null && !endpoint.isAlive(current.connect)) {
                LOG.warn("Connection to libvirt at {} is dead; reconnecting", uri);
                retireLocked(current);
            }
            if (current == null) {
                long now = nanoTime.getAsLong();
                if (!immediate && lastFailure != null && now - nextAttemptNanos < 0) {
                    throw SkiffException.unavailable("libvirt at " + uri + " is unreachable: " + lastFailure
                            + " (next attempt in " + Duration.ofNanos(nextAttemptNanos - now).toMillis() + " ms)");
                }
                try {
                    current = new Lease(endpoint.open(uri));
                    opened++;
                    if (lastFailure != null || opened > 1) {
                        LOG.info("Connected to libvirt at {} again", uri);
                    } else {
                        LOG.info("Connected to libvirt at {}", uri);
                    }
                    lastFailure = null;
                    backoffNanos = 0;
                } catch (LibvirtException | RuntimeException e) {
                    String reason = e instanceof LibvirtException le ? LibvirtErrors.reason(le) : e.toString();
                    backoffNanos = backoffNanos == 0 ? minBackoff.toNanos()
                            : Math.min(backoffNanos * 2, maxBackoff.toNanos());
                    nextAttemptNanos = now + backoffNanos;
                    if (!reason.equals(lastFailure)) {
                        LOG.warn("Cannot connect to libvirt at {}: {}", uri, reason);
                    }
                    lastFailure = reason;
                    throw SkiffException.unavailable("libvirt at " + uri + " is unreachable: " + reason);
                }
            }
            current.users++;
            return current;
        }
    }

    private void release(Lease lease) {
        synchronized (lock) {
            lease.users--;
            if (lease.retired && lease.users == 0) {
                endpoint.close(lease.connect);
            }
        }
    }

    private void retire(Lease lease) {
        synchronized (lock) {
            retireLocked(lease);
        }
    }

    private void retireLocked(Lease lease) {
        if (current == lease) {
            current = null;
        }
        if (!lease.retired) {
            lease.retired = true;
            if (lease.users == 0) {
                endpoint.close(lease.connect);
            }
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            if (current != null) {
                retireLocked(current);
            }
        }
    }
}
