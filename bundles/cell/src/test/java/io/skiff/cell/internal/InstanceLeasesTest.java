package io.skiff.cell.internal;

import io.skiff.api.cell.CellProtocol;
import io.skiff.api.cell.InstanceAction;
import io.skiff.api.spi.DhcpLease;
import io.skiff.api.spi.DhcpNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class InstanceLeasesTest {
    @TempDir
    Path dir;

    private static final Map<String, Object> DHCP = Map.of("bridge", "br-test", "dhcp", true, "dhcpNetns", "ns-1",
            "dhcpLeaseTime", "30m");

    @Test
    void definedInstancesWithAnAddressGetTheirMacsStaticLease() throws Exception {
        try (CellFixture cell = new CellFixture(dir, DHCP)) {
            cell.create(CellFixture.withAddress(CellFixture.spec("a", 1L << 30), "10.0.0.11"));
            cell.create(CellFixture.withAddress(CellFixture.spec("b", 1L << 30), "10.0.0.12"));
            cell.create(CellFixture.spec("no-address", 1L << 30));
            // prepared only: no MAC yet, so no lease
            cell.call(CellProtocol.PREPARE_DISKS, CellFixture.withAddress(CellFixture.spec("c", 1L << 30),
                    "10.0.0.13"), Object.class);

            assertEquals(new DhcpNetwork("br-test", "ns-1", "30m"), cell.dhcp.network);
            String macA = cell.file("a").orElseThrow().mac();
            assertEquals(List.of(new DhcpLease(macA, "10.0.0.11", 24, "vm-a", "lan", "10.0.0.1",
                            List.of("10.0.0.1"), "skiff.test"), lease(cell, "b", "10.0.0.12")), cell.dhcp.leases);
            assertEquals(macA, cell.hypervisor.domain("a").spec.nics().get(0).mac(), "the domain's NIC has the MAC");

            cell.call(CellProtocol.DELETE_DISKS, InstanceAction.of("a"), Object.class);
            assertEquals(List.of(lease(cell, "b", "10.0.0.12")), cell.dhcp.leases, "a deleted instance's lease goes");
        }
    }

    private static DhcpLease lease(CellFixture cell, String id, String address) throws Exception {
        return new DhcpLease(cell.file(id).orElseThrow().mac(), address, 24, "vm-" + id, "lan", "10.0.0.1",
                List.of("10.0.0.1"), "skiff.test");
    }

    @Test
    void withoutDhcpInTheSettingsNothingIsServed() throws Exception {
        try (CellFixture cell = new CellFixture(dir, Map.of("bridge", "br-test"))) {
            cell.create(CellFixture.withAddress(CellFixture.spec("a", 1L << 30), "10.0.0.11"));
            cell.runTimer();
            assertEquals(0, cell.dhcp.serves);
        }
    }

    @Test
    void onlyTheDhcpServerTheSettingsNameServesAndItStopsWithTheCell() throws Exception {
        FakeDhcpServer other = new FakeDhcpServer();
        try (CellFixture cell = new CellFixture(dir, DHCP)) {
            cell.agent.addDhcp(other, Map.of("skiff.provider", "other", "service.ranking", 100));
            cell.create(CellFixture.withAddress(CellFixture.spec("a", 1L << 30), "10.0.0.11"));
            cell.runTimer();
            assertEquals(0, other.serves, "a higher ranking does not make it the cell's");

            cell.agent.removeDhcp(cell.dhcp);
            int serves = cell.dhcp.serves;
            cell.call(CellProtocol.START, InstanceAction.of("a"), Object.class);
            assertEquals(serves, cell.dhcp.serves, "gone: not used");
            assertEquals(0, other.serves);

            cell.agent.addDhcp(cell.dhcp, Map.of("skiff.provider", "dnsmasq"));
            cell.runTimer();
            assertEquals(1, cell.dhcp.leases.size(), "back: served at once");
        }
    }

    @Test
    void theCellStopsServingWhenItStops() throws Exception {
        FakeDhcpServer dhcp;
        try (CellFixture cell = new CellFixture(dir, DHCP)) {
            dhcp = cell.dhcp;
        }
        assertEquals(List.of("br-test"), dhcp.closed);
    }
}
