package io.skiff.transport.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import javax.crypto.spec.SecretKeySpec;

import org.jgroups.protocols.FD_ALL3;
import org.jgroups.protocols.FD_SOCK2;
import org.jgroups.protocols.PING;
import org.jgroups.protocols.SYM_ENCRYPT;
import org.jgroups.protocols.TCP;
import org.jgroups.protocols.TCPPING;
import org.jgroups.protocols.UDP;
import org.jgroups.protocols.VERIFY_SUSPECT2;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.stack.Protocol;
import org.junit.jupiter.api.Test;

/** The stacks as built, without connecting anything (the multicast one is never started in tests). */
class ProtocolStackFactoryTest {
    private static final SecretKeySpec KEY = new SecretKeySpec(new byte[32], "AES");

    private static TransportSettings settings(TransportSettings.Discovery discovery) {
        return new TransportSettings("skiff", "n1", "127.0.0.1", 7800, 10, discovery,
                List.of(new InetSocketAddress("127.0.0.1", 7800)), "228.8.8.8", 45588, Path.of("unused.key"),
                Duration.ofSeconds(10));
    }

    private static List<String> names(List<Protocol> stack) {
        return stack.stream().map(p -> p.getClass().getSimpleName()).toList();
    }

    @Test
    void tcpStackEncryptsEverythingAboveTheTransport() throws Exception {
        List<Protocol> stack = ProtocolStackFactory.build(settings(TransportSettings.Discovery.TCP), KEY);
        assertEquals(List.of("TCP", "SERIALIZE", "SYM_ENCRYPT", "TCPPING", "MERGE3", "FD_SOCK2", "FD_ALL3",
                "VERIFY_SUSPECT2", "NAKACK2", "UNICAST3", "STABLE", "GMS", "UFC", "MFC", "FRAG4"), names(stack));
        TCP tcp = assertInstanceOf(TCP.class, stack.get(0));
        assertEquals(InetAddress.getByName("127.0.0.1"), tcp.getBindAddress());
        assertEquals(7800, tcp.getBindPort());
        assertEquals(10, tcp.getPortRange());
        assertEquals(500, tcp.getSockConnTimeout(), "a cut-off host must not hold up sends to the others for long");
        SYM_ENCRYPT encrypt = assertInstanceOf(SYM_ENCRYPT.class, stack.get(2));
        assertEquals("AES/CBC/PKCS5Padding", encrypt.symAlgorithm());
        assertEquals(256, encrypt.symKeylength());
        assertInstanceOf(TCPPING.class, stack.get(3));
        assertEquals(3_000, (int) assertInstanceOf(FD_SOCK2.class, stack.get(5)).getValue("connect_timeout"));
        FD_ALL3 fd = assertInstanceOf(FD_ALL3.class, stack.get(6));
        assertEquals(3_000, fd.getTimeout());
        assertEquals(1_000, fd.getInterval());
        assertEquals(1_000, assertInstanceOf(VERIFY_SUSPECT2.class, stack.get(7)).getTimeout());
        assertEquals(1_000, assertInstanceOf(GMS.class, stack.get(11)).getJoinTimeout());
    }

    @Test
    void failureDetectionComesFromTheSettings() throws Exception {
        TransportSettings base = settings(TransportSettings.Discovery.TCP);
        TransportSettings tuned = new TransportSettings(base.domain(), base.nodeName(), base.bindAddress(),
                base.bindPort(), base.portRange(), base.discovery(), base.members(), base.mcastAddress(),
                base.mcastPort(), base.keyFile(), base.requestTimeout(),
                new FailureDetection(Duration.ofMillis(2_000), Duration.ofMillis(500), Duration.ofMillis(700)));
        List<Protocol> stack = ProtocolStackFactory.build(tuned, KEY);
        assertEquals(3_000, (int) assertInstanceOf(FD_SOCK2.class, stack.get(5)).getValue("connect_timeout"));
        FD_ALL3 fd = assertInstanceOf(FD_ALL3.class, stack.get(6));
        assertEquals(2_000, fd.getTimeout());
        assertEquals(500, fd.getInterval());
        assertEquals(700, assertInstanceOf(VERIFY_SUSPECT2.class, stack.get(7)).getTimeout());
    }

    @Test
    void defaultsSuspectADeadHostWithinFiveSeconds() {
        assertTrue(FailureDetection.DEFAULT.worstCase().compareTo(Duration.ofSeconds(5)) <= 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new FailureDetection(
                Duration.ofMillis(1_000), Duration.ofMillis(1_000), Duration.ofMillis(1_000)));
        assertTrue(e.getMessage().contains("failureDetectionIntervalMs"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new FailureDetection(
                Duration.ofMillis(3_000), Duration.ZERO, Duration.ofMillis(1_000)));
    }

    @Test
    void multicastStackUsesUdpWithTtlOneOnTheBoundInterface() throws Exception {
        List<Protocol> stack = ProtocolStackFactory.build(settings(TransportSettings.Discovery.MULTICAST), KEY);
        UDP udp = assertInstanceOf(UDP.class, stack.get(0));
        assertEquals(1, udp.getIpTTL());
        assertEquals(InetAddress.getByName("228.8.8.8"), udp.getMcastGroupAddr());
        assertEquals(45588, udp.getMulticastPort());
        assertEquals(InetAddress.getByName("127.0.0.1"), udp.getBindAddress());
        assertInstanceOf(PING.class, stack.get(3));
    }
}
