package io.skiff.network.dnsmasq.internal;

import io.skiff.api.spi.DhcpLease;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DnsmasqDhcpTest {
    private static final DhcpLease A = lease("52:54:00:00:00:01", "lan", "10.254.81.11", 24, "10.254.81.1",
            List.of("10.254.81.1", "10.254.81.2"), "skiff.test", "web-1");
    private static final DhcpLease B = lease("52:54:00:00:00:02", "lan", "10.254.81.10", 24, "10.254.81.1",
            List.of("10.254.81.1", "10.254.81.2"), "skiff.test", "web-2");
    private static final DhcpLease C = lease("52:54:00:00:00:03", "dmz", "192.168.7.20", 25, "192.168.7.1",
            List.of(), null, "db");
    private static final List<DhcpLease> LEASES = List.of(A, B, C);

    private static DhcpLease lease(String mac, String pool, String address, int prefixLength, String gateway,
                                   List<String> dns, String domain, String hostname) {
        return new DhcpLease(mac, address, prefixLength, hostname, pool, gateway, dns, domain);
    }

    @Test
    void hostsFileHasOneStaticLeasePerInstanceTaggedWithItsPool() {
        assertEquals("""
                52:54:00:00:00:02,set:skiff-lan,10.254.81.10,web-2
                52:54:00:00:00:01,set:skiff-lan,10.254.81.11,web-1
                52:54:00:00:00:03,set:skiff-dmz,192.168.7.20,db
                """, DnsmasqDhcp.hostsFile(LEASES));
    }

    @Test
    void optionsFileGivesEachPoolItsGatewayDnsAndDomain() {
        assertEquals("""
                tag:skiff-dmz,option:router,192.168.7.1
                tag:skiff-lan,option:router,10.254.81.1
                tag:skiff-lan,option:dns-server,10.254.81.1,10.254.81.2
                tag:skiff-lan,option:domain-name,skiff.test
                """, DnsmasqDhcp.optionsFile(LEASES));
    }

    @Test
    void configServesOnlyTheBridgeWithoutDnsAndOneStaticRangePerSubnet() {
        String config = new DnsmasqDhcp(Path.of("/d"), "br-skiff", "dnsmasq", "", "1h").config(LEASES);
        assertTrue(config.contains("\nport=0\n"), config);
        assertTrue(config.contains("\ninterface=br-skiff\n"), config);
        assertTrue(config.contains("\nbind-interfaces\n"), config);
        assertTrue(config.contains("\ndhcp-hostsfile=/d/hosts\n"), config);
        assertTrue(config.contains("dhcp-range=10.254.81.0,static,255.255.255.0,1h\n"
                + "dhcp-range=192.168.7.0,static,255.255.255.128,1h\n"), config);
    }

    @Test
    void aLeaseThatGoesAwayIsDroppedFromTheLeaseFileSoItsAddressIsFreeAtOnce(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        // "true" stands in for dnsmasq: it exits at once, which start() reports; the files are what matter here
        DnsmasqDhcp dhcp = new DnsmasqDhcp(dir, "br-skiff", "true", "", "1h");
        java.nio.file.Files.writeString(dir.resolve("leases"),
                "1795327462 52:54:00:00:00:01 10.254.81.11 web-1 01:52:54:00:00:00:01\n"
                        + "1795327463 52:54:00:00:00:02 10.254.81.10 web-2 01:52:54:00:00:00:02\n");
        try {
            dhcp.update(List.of(B));
        } catch (java.io.IOException expected) {
            assertTrue(expected.getMessage().contains("exited at once"), expected.getMessage());
        } finally {
            dhcp.close();
        }
        assertEquals("1795327463 52:54:00:00:00:02 10.254.81.10 web-2 01:52:54:00:00:00:02\n",
                java.nio.file.Files.readString(dir.resolve("leases")));
        assertEquals("52:54:00:00:00:02,set:skiff-lan,10.254.81.10,web-2\n",
                java.nio.file.Files.readString(dir.resolve("hosts")));
    }
}
