package io.skiff.cell.internal;

import io.skiff.api.cell.Ack;
import io.skiff.api.cell.CellInstanceSpec;
import io.skiff.api.cell.CellProtocol;
import io.skiff.api.cell.InstanceAction;
import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.DiskAttachment;
import io.skiff.api.spi.DomainSpec;
import io.skiff.api.spi.DomainState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DomainDefinitionsTest {
    @TempDir
    Path dir;
    CellFixture cell;

    @BeforeEach
    void start() {
        cell = new CellFixture(dir, Map.of("bridge", "br-test", "consoleListen", "10.0.0.5"));
    }

    @AfterEach
    void stop() {
        cell.close();
    }

    /** The same cell after a restart: the same hypervisor, storage and files, a fresh agent. */
    private CellFixture restarted() {
        cell.close();
        cell = new CellFixture(dir, Map.of("bridge", "br-test"), cell.hypervisor, cell.storage, cell.dhcp);
        return cell;
    }

    @Test
    void defineNamesTheVolumesTheNicTheConsoleAndAnEmptyMediaDrive() throws Exception {
        cell.create(CellFixture.spec("a", 1L << 30, 2L << 30));

        CellInstanceFile file = cell.file("a").orElseThrow();
        assertTrue(file.defined());
        assertNotNull(file.consolePassword());
        assertTrue(file.mac().startsWith("52:54:00:"), file.mac());
        DomainSpec domain = cell.hypervisor.domain("a").spec;
        assertEquals(file.volumes(), domain.disks().stream().map(DiskAttachment::path).toList());
        assertEquals(file.mac(), domain.nics().get(0).mac());
        assertEquals("br-test", domain.nics().get(0).bridge());
        assertEquals("10.0.0.5", domain.consoleListen());
        assertEquals(file.consolePassword(), domain.consolePassword());
        assertEquals(dir.resolve("console/a.log").toString(), domain.serialLogPath());
        assertNull(domain.mediaDrive().path(), "every instance has a media drive, empty here");
    }

    @Test
    void defineWithoutVolumesIsAConflict() {
        SkiffException e = cell.refused(CellProtocol.DEFINE, CellFixture.spec("b", 1L << 30));
        assertEquals(SkiffException.Kind.CONFLICT, e.kind());
        assertEquals("cell cell-1 has no volumes for instance b", e.getMessage());
    }

    @Test
    void everyInstanceGetsAMacOfItsOwn() throws Exception {
        for (String id : List.of("m1", "m2", "m3", "m4")) {
            cell.create(CellFixture.spec(id, 1L << 30));
        }
        assertEquals(4, cell.hypervisor.domains().stream().map(d -> d.macs().get(0)).distinct().count());
    }

    @Test
    void startRedefinesTheDomainFromTheFile() throws Exception {
        cell.create(CellFixture.spec("c", 1L << 30));
        // the domain lost its media drive (defined by an older cell, or reverted to such a snapshot)
        DomainSpec old = cell.hypervisor.domain("c").spec;
        cell.hypervisor.domain("c").spec = new DomainSpec(old.instanceId(), old.name(), old.cores(),
                old.memoryBytes(), old.devices(), old.disks(), old.nics(), old.serialLogPath(), old.consoleListen(),
                old.consolePassword(), old.qos());
        int defines = cell.hypervisor.defines("c");

        Ack ack = cell.call(CellProtocol.START, InstanceAction.of("c"), Ack.class);

        assertEquals("running", ack.detail());
        assertEquals(defines + 1, cell.hypervisor.defines("c"));
        assertNotNull(cell.hypervisor.domain("c").spec.mediaDrive(), "defined again with its media drive");
        assertEquals(DomainState.RUNNING, cell.hypervisor.state("c"));
        // a running domain is left as it is
        cell.call(CellProtocol.START, InstanceAction.of("c"), Ack.class);
        assertEquals(defines + 1, cell.hypervisor.defines("c"));
    }

    @Test
    void stopGracefulForcedAndAlreadyOff() throws Exception {
        cell.create(CellFixture.spec("d", 1L << 30));
        assertEquals("not running", cell.call(CellProtocol.STOP, InstanceAction.of("d"), Ack.class).detail());
        cell.call(CellProtocol.START, InstanceAction.of("d"), Ack.class);
        assertEquals("shut down", cell.call(CellProtocol.STOP, new InstanceAction("d", 5, false), Ack.class).detail());
        cell.call(CellProtocol.START, InstanceAction.of("d"), Ack.class);
        assertEquals("forced off", cell.call(CellProtocol.STOP, new InstanceAction("d", 0, true), Ack.class).detail());
        assertEquals(DomainState.SHUT_OFF, cell.hypervisor.state("d"));
    }

    @Test
    void undefineMarksTheFileUndefinedAndTheResyncDoesNotDefineItAgain() throws Exception {
        cell.create(CellFixture.spec("e", 1L << 30));
        cell.call(CellProtocol.START, InstanceAction.of("e"), Ack.class);

        cell.call(CellProtocol.UNDEFINE, InstanceAction.of("e"), Ack.class);

        assertEquals(DomainState.UNDEFINED, cell.hypervisor.state("e"));
        CellInstanceFile file = cell.file("e").orElseThrow();
        assertFalse(file.defined(), "the file says the domain is gone on purpose");
        assertEquals(1, file.volumes().size(), "the volumes stay for the delete that follows");
        int defines = cell.hypervisor.defines("e");

        restarted().reportNow(); // the first report of a (re)started cell re-syncs

        assertEquals(DomainState.UNDEFINED, cell.hypervisor.state("e"));
        assertEquals(defines, cell.hypervisor.defines("e"));
    }

    @Test
    void theResyncDefinesALostDomainAgainAndLeavesOthersAlone() throws Exception {
        cell.create(CellFixture.spec("f", 1L << 30));
        cell.create(CellFixture.spec("g", 1L << 30));
        cell.call(CellProtocol.START, InstanceAction.of("g"), Ack.class);
        String password = cell.file("f").orElseThrow().consolePassword();
        cell.hypervisor.lose("f");
        cell.hypervisor.addForeign("x", DomainState.RUNNING);
        int definesOfG = cell.hypervisor.defines("g");

        restarted().reportNow();

        DomainSpec again = cell.hypervisor.domain("f").spec;
        assertEquals(cell.file("f").orElseThrow().volumes(),
                again.disks().stream().map(DiskAttachment::path).toList());
        assertEquals(password, again.consolePassword(), "the same console password");
        assertEquals(definesOfG, cell.hypervisor.defines("g"), "a running guest is not touched");
        assertEquals(DomainState.RUNNING, cell.hypervisor.state("g"));
        assertEquals(DomainState.RUNNING, cell.hypervisor.state("x"), "a domain without a file is left alone");
    }

    @Test
    void theResyncRunsOnceAndOnlyWhenTheHypervisorIsThere() throws Exception {
        cell.create(CellFixture.spec("h", 1L << 30));
        cell.agent.removeHypervisor(cell.hypervisor);
        cell.reportNow(); // no hypervisor: the re-sync waits
        cell.hypervisor.lose("h");
        cell.agent.addHypervisor(cell.hypervisor, Map.of("skiff.provider", "libvirt"));

        cell.reportNow();
        assertEquals(DomainState.SHUT_OFF, cell.hypervisor.state("h"), "defined again at the first report with it");

        cell.hypervisor.lose("h");
        cell.reportNow();
        assertEquals(DomainState.UNDEFINED, cell.hypervisor.state("h"), "only once per start of the cell");
    }

    @Test
    void aDefinitionAfterADataDiskWasRemovedKeepsTheCellsVolumeNames() {
        CellInstanceSpec asked = CellFixture.spec("i", 1L << 30, 1L << 30);
        CellInstanceSpec known = new CellInstanceSpec("i", "vm-i", 1, 256L << 20, "linux-virtio", List.of(
                asked.disks().get(0), new io.skiff.api.cell.CellDisk("skiff-i-disk2", null, 1L << 30, null)), false);
        assertEquals("skiff-i-disk2",
                DomainDefinitions.withVolumeNames(asked, known).disks().get(1).volume());
    }
}
