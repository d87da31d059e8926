package io.skiff.storage.local.internal;

import io.skiff.api.service.SkiffException;
import org.libvirt.Connect;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.ErrorCallback;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.EnumSet;
import java.util.Set;

/**
 * One libvirt connection, opened on first use and opened again after libvirtd restarted or the connection broke.
 * A call that fails because of the connection is not repeated (it may have taken effect); the next call reconnects.
 */
final class LibvirtConnection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LibvirtConnection.class);
    private static final Set<ErrorNumber> CONNECTION_ERRORS = EnumSet.of(ErrorNumber.VIR_ERR_INVALID_CONN,
            ErrorNumber.VIR_ERR_NO_CONNECT, ErrorNumber.VIR_ERR_RPC, ErrorNumber.VIR_ERR_AUTH_FAILED);

    /** A libvirt operation on a live connection. */
    @FunctionalInterface
    interface Call<T> {
        T apply(Connect connect) throws LibvirtException;
    }

    // libvirt prints every error to stderr unless a connection has its own handler; ours come back as
    // LibvirtExceptions anyway. A static field, as JNA must never see a callback it was given garbage-collected.
    private static final ErrorCallback SILENT = new ErrorCallback();

    private final String uri;
    private Connect connect; // guarded by this
    private boolean closed;  // guarded by this

    LibvirtConnection(String uri) {
        this.uri = uri;
    }

    String uri() {
        return uri;
    }

    /**
     * Runs {@code call} on the connection, opening it first when needed.
     *
     * @throws SkiffException UNAVAILABLE when libvirt cannot be reached
     */
    <T> T call(Call<T> call) throws LibvirtException {
        Connect c = current();
        try {
            return call.apply(c);
        } catch (LibvirtException e) {
            if (isConnectionError(e)) {
                drop(c, e);
            }
            throw e;
        }
    }

    static boolean isConnectionError(LibvirtException e) {
        return e.getError() != null && CONNECTION_ERRORS.contains(e.getError().getCode());
    }

    private synchronized Connect current() throws LibvirtException {
        if (closed) {
            throw new IllegalStateException("libvirt connection to " + uri + " is closed");
        }
        if (connect != null) {
            boolean alive;
            try {
                alive = connect.isAlive();
            } catch (LibvirtException e) {
                alive = false;
            }
            if (alive) {
                return connect;
            }
            LOG.warn("libvirt connection to {} lost, reconnecting", uri);
            closeQuietly(connect);
            connect = null;
        }
        try {
            connect = new Connect(uri);
        } catch (LibvirtException e) {
            throw SkiffException.unavailable("libvirt at " + uri + " is not reachable: "
                    + (e.getError() != null ? e.getError().getMessage() : e.getMessage()));
        } catch (LinkageError e) {
            throw SkiffException.unavailable("libvirt at " + uri + " is not reachable: the libvirt client library "
                    + "(libvirt.so.0, Debian package libvirt0) cannot be loaded: " + e.getMessage());
        }
        try {
            connect.setConnectionErrorCallback(SILENT);
        } catch (LibvirtException e) {
            LOG.debug("libvirt error output not silenced: {}", e.getMessage());
        }
        LOG.debug("libvirt connection to {} opened", uri);
        return connect;
    }

    private synchronized void drop(Connect broken, LibvirtException cause) {
        if (connect == broken) {
            LOG.warn("libvirt connection to {} failed ({}), it will be reopened", uri, cause.getMessage());
            closeQuietly(connect);
            connect = null;
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (connect != null) {
            closeQuietly(connect);
            connect = null;
        }
    }

    private static void closeQuietly(Connect c) {
        try {
            c.close();
        } catch (LibvirtException | RuntimeException e) {
            LOG.debug("closing a libvirt connection failed: {}", e.getMessage());
        }
    }
}
