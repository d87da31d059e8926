package io.skiff.network.dnsmasq.internal;

import io.skiff.api.spi.DhcpNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DnsmasqDhcpServerTest {
    private static final DhcpNetwork NETWORK = new DhcpNetwork("br-skiff", "", "1h");

    @Test
    void noLeasesServesNothingAndStartsNothing(@TempDir Path dir) throws Exception {
        // a program that does not exist: starting it would fail
        DnsmasqDhcpServer server = new DnsmasqDhcpServer(dir, "/nonexistent/dnsmasq");
        server.serve(NETWORK, List.of());
        assertEquals("", Files.readString(dir.resolve("hosts")));
        server.close("br-skiff");
        server.close("br-never-served");
        server.deactivate();
    }

    @Test
    void aServerThatDoesNotStartIsAnIoErrorAndTheLeasesAreWrittenAnyway(@TempDir Path dir) throws Exception {
        DnsmasqDhcpServer server = new DnsmasqDhcpServer(dir, "true"); // exits at once
        IOException e = assertThrows(IOException.class, () -> server.serve(new DhcpNetwork("br-skiff", "", "30m"),
                List.of(new io.skiff.api.spi.DhcpLease("52:54:00:00:00:01", "10.0.0.11", 24, "web-1", "lan",
                        "10.0.0.1", List.of(), null))));
        assertTrue(e.getMessage().contains("exited at once"), e.getMessage());
        assertEquals("52:54:00:00:00:01,set:skiff-lan,10.0.0.11,web-1\n", Files.readString(dir.resolve("hosts")));
        String config = Files.readString(dir.resolve("dnsmasq.conf"));
        assertTrue(config.contains("dhcp-range=10.0.0.0,static,255.255.255.0,30m"), config);
        server.deactivate();
    }
}
