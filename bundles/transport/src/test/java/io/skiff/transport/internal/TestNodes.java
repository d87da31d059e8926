package io.skiff.transport.internal;

import static org.junit.jupiter.api.Assertions.fail;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Starts transports of one test domain on loopback: TCP + TCPPING on 127.0.0.1 only, ports from {@code basePort}
 * (each test class has its own range, so classes never see each other's nodes), and a unique domain name.
 */
final class TestNodes implements AutoCloseable {
    static final int PORT_RANGE = 5;
    private static final Duration AWAIT = Duration.ofSeconds(20);

    private final int basePort;
    private final Path keyFile;
    private final String domain = "test-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<JGroupsTransport> started = new ArrayList<>();

    TestNodes(int basePort, Path keyFile) {
        this.basePort = basePort;
        this.keyFile = keyFile;
    }

    String domain() {
        return domain;
    }

    JGroupsTransport start(String name) throws Exception {
        return start(name, keyFile);
    }

    JGroupsTransport start(String name, Path key) throws Exception {
        JGroupsTransport t = new JGroupsTransport(settings(name, key), TransportComponent.newObjectMapper());
        t.start();
        synchronized (started) {
            started.add(t);
        }
        return t;
    }

    /** The settings of node {@code name} of this domain. */
    TransportSettings settings(String name, Path key) {
        return new TransportSettings(domain, name, "127.0.0.1", basePort, PORT_RANGE,
                TransportSettings.Discovery.TCP, List.of(new InetSocketAddress("127.0.0.1", basePort)),
                "228.8.8.8", 45588, key, Duration.ofSeconds(5));
    }

    Path keyFile() {
        return keyFile;
    }

    /** Waits until every given transport sees exactly {@code count} members. */
    static void awaitMembers(int count, JGroupsTransport... transports) {
        await(() -> {
            for (JGroupsTransport t : transports) {
                if (t.members().size() != count) {
                    return false;
                }
            }
            return true;
        }, () -> "expected " + count + " members, saw " + describe(transports));
    }

    /** Polls {@code condition} every 25 ms until it holds; fails with {@code message} when {@link #AWAIT} is over. */
    static void await(BooleanSupplier condition, java.util.function.Supplier<String> message) {
        try {
            Awaitility.await().atMost(AWAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(25))
                    .pollInSameThread().until(condition::getAsBoolean);
        } catch (ConditionTimeoutException e) {
            fail(message.get());
        }
    }

    private static String describe(JGroupsTransport... transports) {
        StringBuilder sb = new StringBuilder();
        for (JGroupsTransport t : transports) {
            sb.append(t.localNode()).append('=').append(t.members().stream().map(m -> m.node()).toList()).append(' ');
        }
        return sb.toString();
    }

    @Override
    public void close() {
        List<JGroupsTransport> copy;
        synchronized (started) {
            copy = new ArrayList<>(started);
            started.clear();
        }
        // newest first, so the coordinator goes last and the others leave without a coordinator change
        for (int i = copy.size() - 1; i >= 0; i--) {
            copy.get(i).close();
        }
    }
}
