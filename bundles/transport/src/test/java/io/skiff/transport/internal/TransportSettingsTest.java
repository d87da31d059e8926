package io.skiff.transport.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class TransportSettingsTest {

    /** The configuration as DS would pass it: the metatype defaults, some overridden. */
    static TransportConfig config(Map<String, Object> overrides) {
        return (TransportConfig) Proxy.newProxyInstance(TransportConfig.class.getClassLoader(),
                new Class<?>[] {TransportConfig.class}, (proxy, method, args) -> {
                    if (overrides.containsKey(method.getName())) {
                        return overrides.get(method.getName());
                    }
                    if (method.getDefaultValue() != null) {
                        return method.getDefaultValue();
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void defaultsAreTheLoopbackAllInOne() {
        String before = System.getProperty("karaf.etc");
        System.setProperty("karaf.etc", "/opt/karaf/etc");
        try {
            TransportSettings s = TransportSettings.from(config(Map.of()));
            assertEquals("skiff", s.domain());
            assertFalse(s.nodeName().isBlank());
            assertEquals("127.0.0.1", s.bindAddress());
            assertEquals(7800, s.bindPort());
            assertEquals(10, s.portRange());
            assertEquals(TransportSettings.Discovery.TCP, s.discovery());
            assertEquals(List.of(new InetSocketAddress("127.0.0.1", 7800)), s.members());
            assertEquals("228.8.8.8", s.mcastAddress());
            assertEquals(45588, s.mcastPort());
            assertEquals(Path.of("/opt/karaf/etc/skiff-cluster.key"), s.keyFile());
            assertEquals(Duration.ofSeconds(10), s.requestTimeout());
        } finally {
            if (before == null) {
                System.clearProperty("karaf.etc");
            } else {
                System.setProperty("karaf.etc", before);
            }
        }
    }

    @Test
    void membersAcceptJGroupsAndHostPortForms() {
        assertEquals(List.of(new InetSocketAddress("127.0.0.1", 7800), new InetSocketAddress("127.0.0.1", 7801),
                        new InetSocketAddress("127.0.0.1", 7900)),
                TransportSettings.parseMembers(" 127.0.0.1[7800], 127.0.0.1:7801 ,127.0.0.1,", 7900));
        assertThrows(IllegalArgumentException.class, () -> TransportSettings.parseMembers("127.0.0.1[x]", 7800));
        assertThrows(IllegalArgumentException.class, () -> TransportSettings.parseMembers("127.0.0.1[7800", 7800));
        assertThrows(IllegalArgumentException.class, () -> TransportSettings.parseMembers("[7800]", 7800));
    }

    @Test
    void badValuesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> TransportSettings.from(config(Map.of("discovery", "carrier-pigeon"))));
        assertThrows(IllegalArgumentException.class, () -> TransportSettings.from(config(Map.of("members", " "))));
        assertThrows(IllegalArgumentException.class, () -> TransportSettings.from(config(Map.of("domain", ""))));
        assertThrows(IllegalArgumentException.class, () -> TransportSettings.from(config(Map.of("requestTimeoutSeconds", 0L))));
        assertEquals(TransportSettings.Discovery.MULTICAST,
                TransportSettings.from(config(Map.of("discovery", "multicast", "members", ""))).discovery());
    }

    @Test
    void failureDetectionFromTheConfiguration() {
        assertEquals(FailureDetection.DEFAULT, TransportSettings.from(config(Map.of())).failureDetection());
        FailureDetection tuned = TransportSettings.from(config(Map.of("failureDetectionTimeoutMs", 4_000L,
                "failureDetectionIntervalMs", 500L, "verifySuspectTimeoutMs", 1_500L))).failureDetection();
        assertEquals(Duration.ofMillis(4_000), tuned.timeout());
        assertEquals(Duration.ofMillis(500), tuned.interval());
        assertEquals(Duration.ofMillis(1_500), tuned.verifySuspectTimeout());
        assertThrows(IllegalArgumentException.class, () -> TransportSettings.from(config(Map.of(
                "failureDetectionTimeoutMs", 1_000L, "failureDetectionIntervalMs", 2_000L))));
    }
}
