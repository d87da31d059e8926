package io.skiff.cell.internal;

import io.skiff.api.cell.Ack;
import io.skiff.api.cell.CellInstanceState;
import io.skiff.api.cell.CellInstancesReport;
import io.skiff.api.cell.CellProtocol;
import io.skiff.api.cell.ConsoleLogRequest;
import io.skiff.api.cell.DiskUsageRequest;
import io.skiff.api.cell.GuestAgentRequest;
import io.skiff.api.cell.InstanceAction;
import io.skiff.api.cell.SnapshotRequest;
import io.skiff.api.spi.DomainState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class InstanceReporterTest {
    @TempDir
    Path dir;
    CellFixture cell;

    @BeforeEach
    void start() {
        cell = new CellFixture(dir, Map.of("bridge", "br-test", "dhcp", true));
    }

    @AfterEach
    void stop() {
        cell.close();
    }

    @Test
    void heldListsInstancesWithAFileAVolumeOrADomain() throws Exception {
        cell.call(CellProtocol.PREPARE_DISKS, CellFixture.spec("with-file", 1L << 30), Object.class);
        cell.storage.put(CellFixture.POOL, "skiff-only-volume-disk1", 1L << 30);
        cell.storage.put(CellFixture.POOL, "not-skiffs", 1L << 30);
        cell.hypervisor.addForeign("only-domain", DomainState.SHUT_OFF);

        CellInstancesReport report = cell.reportNow();

        assertEquals(List.of("only-domain", "only-volume", "with-file"), report.held());
        assertEquals(CellFixture.NODE, report.node());
        assertEquals(List.of("with-file", "only-domain"),
                report.instances().stream().map(CellInstanceState::instanceId).toList());
        assertEquals("UNDEFINED", report.instances().get(0).domainState(), "prepared, not defined yet");
        assertEquals(CellFixture.POOL, report.storagePools().get(0).name());
        assertEquals("local", report.storagePools().get(0).provider());
        assertEquals("fake", report.host().hypervisor());
    }

    @Test
    void runningInstancesCarryLiveFiguresAndWithoutHypervisorStatesAreUnknown() throws Exception {
        cell.create(CellFixture.spec("a", 1L << 30));
        cell.call(CellProtocol.START, InstanceAction.of("a"), Ack.class);

        CellInstanceState running = cell.reportNow().instances().get(0);
        assertEquals("RUNNING", running.domainState());
        assertNotNull(running.stats());

        cell.agent.removeHypervisor(cell.hypervisor);
        CellInstancesReport without = cell.reportNow();
        assertEquals("UNKNOWN", without.instances().get(0).domainState());
        assertNull(without.host());
    }

    @Test
    void requestsThatOnlyReadTriggerNoReportAndNoDhcpRefresh() throws Exception {
        cell.create(CellFixture.spec("r", 1L << 30, 1L << 30));
        cell.call(CellProtocol.START, InstanceAction.of("r"), Ack.class);
        cell.call(CellProtocol.SNAPSHOT_CREATE, new SnapshotRequest("r", "s1", null), Object.class);
        cell.runTimer();
        int reports = cell.reports().size();
        int serves = cell.dhcp.serves;

        cell.call(CellProtocol.CONSOLE_LOG, new ConsoleLogRequest("r", 1000), Object.class);
        cell.call(CellProtocol.CONSOLE, InstanceAction.of("r"), Object.class);
        cell.call(CellProtocol.SNAPSHOT_LIST, InstanceAction.of("r"), Object.class);
        cell.call(CellProtocol.DISK_USAGE, new DiskUsageRequest("r", 1), Object.class);
        cell.call(CellProtocol.GUEST_AGENT, new GuestAgentRequest("r", "{\"execute\":\"guest-ping\"}", 5),
                Object.class);

        assertEquals(0, cell.timer.pending(), "no report asked for");
        assertEquals(serves, cell.dhcp.serves, "no DHCP refresh");
        cell.runTimer();
        assertEquals(reports, cell.reports().size());
    }

    @Test
    void aChangeRefreshesDhcpAtOnceAndABurstOfChangesIsOneReport() throws Exception {
        cell.create(CellFixture.spec("c", 1L << 30));
        cell.runTimer();
        int reports = cell.reports().size();
        int serves = cell.dhcp.serves;

        cell.call(CellProtocol.START, InstanceAction.of("c"), Ack.class);
        cell.call(CellProtocol.STOP, new InstanceAction("c", 0, true), Ack.class);

        assertEquals(serves + 2, cell.dhcp.serves, "each change refreshes the leases in the request");
        assertEquals(1, cell.timer.pending(), "one report for the burst");
        cell.runTimer();
        assertEquals(reports + 1, cell.reports().size());
        assertEquals("SHUT_OFF", cell.reports().get(reports).instances().get(0).domainState());
    }

    @Test
    void aFailedRequestIsNotReported() throws Exception {
        cell.runTimer();
        cell.refused(CellProtocol.DEFINE, CellFixture.spec("nothing", 1L << 30));
        assertEquals(0, cell.timer.pending());
    }
}
