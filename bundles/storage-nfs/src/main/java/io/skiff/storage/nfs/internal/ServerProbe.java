package io.skiff.storage.nfs.internal;

import io.skiff.api.service.SkiffException;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Optional;

/**
 * Whether the NFS server accepts a TCP connection on its rpcbind port within the connect timeout: asked before
 * anything that would otherwise wait for the server far longer (a mount, qemu-img on an {@code nfs://} URL, the Java
 * client's calls), so that an unreachable server fails a request at once with its reason.
 */
final class ServerProbe {
    static final int RPCBIND_PORT = 111;

    private ServerProbe() {
    }

    /**
     * @throws SkiffException UNAVAILABLE (waiting may cure it: an undo is tried again) when the server does not accept
     *     the connection
     */
    static void requireReachable(NfsSettings settings) {
        unreachable(settings).ifPresent(reason -> {
            throw SkiffException.unavailable(reason);
        });
    }

    /** @return why the server cannot be reached, or empty when it accepts a connection */
    static Optional<String> unreachable(NfsSettings settings) {
        return unreachable(settings.server(), RPCBIND_PORT, settings.connectTimeout());
    }

    static Optional<String> unreachable(String server, int port, Duration timeout) {
        try (Socket probe = new Socket()) {
            probe.connect(new InetSocketAddress(server, port), (int) timeout.toMillis());
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("NFS server '" + server + "' is not reachable (rpcbind, TCP port " + port + ", within "
                    + timeout.toSeconds() + " s): " + e.getMessage());
        }
    }
}
