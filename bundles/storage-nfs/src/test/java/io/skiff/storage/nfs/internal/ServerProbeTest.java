package io.skiff.storage.nfs.internal;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reachability probe, on loopback only: a listening port passes, a closed one is named with its reason. */
class ServerProbeTest {
    @Test
    void aServerThatAcceptsPassesOneThatRefusesFailsNamingTheServer() throws IOException {
        int closed;
        try (ServerSocket open = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertEquals(Optional.empty(), ServerProbe.unreachable("127.0.0.1", open.getLocalPort(),
                    Duration.ofSeconds(5)));
            closed = open.getLocalPort();
        }
        Optional<String> refused = ServerProbe.unreachable("127.0.0.1", closed, Duration.ofSeconds(5));
        assertTrue(refused.orElseThrow().startsWith("NFS server '127.0.0.1' is not reachable (rpcbind, TCP port "
                + closed), refused.get());
    }
}
