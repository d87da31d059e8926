package io.skiff.cell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.skiff.api.transport.ClusterMember;
import org.junit.jupiter.api.Test;

import java.util.List;

class ConsoleListenAddressTest {
    private final FakeTransport transport = new FakeTransport("cell-b");

    @Test
    void anExplicitSettingWins() {
        transport.members = List.of(new ClusterMember("cell-b", "10.77.0.2:7800", true));
        assertEquals("192.168.1.5", ConsoleListenAddress.of(" 192.168.1.5 ", transport));
    }

    @Test
    void emptyMeansTheAddressTheTransportIsBoundTo() {
        transport.members = List.of(new ClusterMember("core", "10.77.0.1:7800", false),
                new ClusterMember("cell-b", "10.77.0.2:7801", true));
        assertEquals("10.77.0.2", ConsoleListenAddress.of("", transport));
        transport.members = List.of(new ClusterMember("cell-b", "127.0.0.1:7800", true));
        assertEquals("127.0.0.1", ConsoleListenAddress.of("", transport));
        transport.members = List.of(new ClusterMember("cell-b", "fd00::2:7800", true));
        assertEquals("fd00::2", ConsoleListenAddress.of("", transport));
    }

    @Test
    void withoutAUsableBindAddressItIsLoopback() {
        assertEquals("127.0.0.1", ConsoleListenAddress.of("", transport));
        transport.members = List.of(new ClusterMember("cell-b", "0.0.0.0:7800", true));
        assertEquals("127.0.0.1", ConsoleListenAddress.of("", transport));
    }
}
