package io.skiff.cell.internal;

import io.skiff.api.cell.Ack;
import io.skiff.api.cell.CellDisk;
import io.skiff.api.cell.CellInstanceSpec;
import io.skiff.api.cell.CellProtocol;
import io.skiff.api.cell.ImageSource;
import io.skiff.api.cell.InstanceAction;
import io.skiff.api.cell.PreparedDisks;
import io.skiff.api.cell.StoragePoolDefinition;
import io.skiff.api.service.SkiffException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InstanceVolumesTest {
    @TempDir
    Path dir;
    CellFixture cell;

    @BeforeEach
    void start() {
        cell = new CellFixture(dir, Map.of());
    }

    @AfterEach
    void stop() {
        cell.close();
    }

    @Test
    void prepareWritesTheInstanceFileBeforeTheFirstVolume() throws Exception {
        List<Boolean> fileBeforeVolume = new ArrayList<>();
        cell.storage.beforeCreate = name -> fileBeforeVolume.add(Files.exists(dir.resolve("instances/a.json")));

        PreparedDisks prepared = cell.call(CellProtocol.PREPARE_DISKS, CellFixture.spec("a", 1L << 30, 2L << 30),
                PreparedDisks.class);

        assertEquals(List.of(true, true), fileBeforeVolume, "the file exists before each volume is made");
        assertEquals(List.of("skiff-a-disk0", "skiff-a-disk1"), cell.storage.names(CellFixture.POOL));
        CellInstanceFile file = cell.file("a").orElseThrow();
        assertEquals(prepared.paths(), file.volumes());
        assertEquals(List.of(CellFixture.POOL, CellFixture.POOL), file.volumePools());
        assertFalse(file.defined(), "no domain yet");
    }

    @Test
    void aDiskOfAPoolTheCellDoesNotKnowHasItsBackendTakeThePoolFirst() throws Exception {
        FakeStorageBackend nfs = new FakeStorageBackend();
        cell.agent.addStorage(nfs, Map.of("skiff.provider", "nfs", "service.id", 21L));
        StoragePoolDefinition shared = new StoragePoolDefinition("shared", "nfs", Map.of("server", "nas",
                "export", "/export", "mode", "libnfs"));
        CellInstanceSpec spec = CellFixture.spec("a", 1L << 30, 2L << 30);
        spec = spec.withDisks(spec.disks().stream().map(d -> d.inPool(shared)).toList());

        cell.call(CellProtocol.PREPARE_DISKS, spec, PreparedDisks.class);

        assertEquals(Map.of("shared", shared.settings()), nfs.defined);
        assertEquals(List.of("skiff-a-disk0", "skiff-a-disk1"), nfs.names("shared"));
        assertTrue(cell.storage.names(CellFixture.POOL).isEmpty(), "nothing in the cell's default pool");
        assertEquals(List.of("shared", "shared"), cell.file("a").orElseThrow().volumePools());

        // a restarted cell takes the pool again from its instance's file, once its backend is there
        cell.close();
        FakeStorageBackend restarted = new FakeStorageBackend();
        cell = new CellFixture(dir, Map.of(), cell.hypervisor, cell.storage, cell.dhcp);
        cell.agent.addStorage(restarted, Map.of("skiff.provider", "nfs", "service.id", 22L));
        assertEquals(Map.of("shared", shared.settings()), restarted.defined);
    }

    @Test
    void aLinkedCloneInAPoolThatHoldsItsImageIsMadeWithoutDownloadingTheImage() throws Exception {
        // the Core's address does not resolve: a download would fail the request
        ImageSource image = new ImageSource("img-7", "http://core.invalid/images/img-7", "token", "0", "qcow2");
        CellInstanceSpec spec = new CellInstanceSpec("a", "vm-a", 1, 256L << 20, "linux-virtio",
                List.of(new CellDisk("skiff-a-disk0", null, 1L << 30, image)), false);
        assertThrows(Exception.class, () -> cell.call(CellProtocol.PREPARE_DISKS, spec, PreparedDisks.class),
                "a pool without the image needs the file on this host");
        cell.call(CellProtocol.DELETE_DISKS, InstanceAction.of("a"), Object.class);

        cell.storage.heldImages.add("img-7.qcow2"); // another cell cached it in the shared pool
        cell.call(CellProtocol.PREPARE_DISKS, spec, PreparedDisks.class);

        assertTrue(cell.storage.backings.get("skiff-a-disk0").endsWith("/img-7.qcow2"),
                "a clone of the pool's copy: " + cell.storage.backings);
    }

    @Test
    void theCoreHasACellCheckAPoolWithTheBackendOfItsProvider() throws Exception {
        StoragePoolDefinition shared = new StoragePoolDefinition("shared", "nfs", Map.of("server", "nas"));
        SkiffException absent = assertThrows(SkiffException.class,
                () -> cell.call(CellProtocol.CHECK_STORAGE_POOL, shared, Ack.class));
        assertEquals("provider-unavailable", absent.code());
        FakeStorageBackend nfs = new FakeStorageBackend();
        cell.agent.addStorage(nfs, Map.of("skiff.provider", "nfs", "service.id", 21L));
        assertTrue(cell.call(CellProtocol.CHECK_STORAGE_POOL, shared, Ack.class).detail().contains("nfs"));
        nfs.refusePools = SkiffException.invalid("server", "NFS server 'nas' is not reachable");
        SkiffException e = assertThrows(SkiffException.class,
                () -> cell.call(CellProtocol.CHECK_STORAGE_POOL, shared, Ack.class));
        assertEquals("server", e.field());
        assertTrue(nfs.defined.isEmpty(), "a check keeps nothing");
    }

    @Test
    void aFailedVolumeGivesBackTheVolumesMadeBeforeIt() {
        cell.storage.failCreate.add("skiff-b-disk2");

        SkiffException e = assertThrows(SkiffException.class, () -> cell.call(CellProtocol.PREPARE_DISKS,
                CellFixture.spec("b", 1L << 30, 1L << 30, 1L << 30), PreparedDisks.class));

        assertTrue(e.getMessage().contains("refuses skiff-b-disk2"), e.getMessage());
        assertEquals(List.of(), cell.storage.names(CellFixture.POOL), "disk0 and disk1 are given back");
    }

    @Test
    void aMissingStorageProviderMakesNothingAndTheUndoHasNothingToDelete() throws Exception {
        cell.agent.removeStorage(cell.storage);

        SkiffException e = cell.refused(CellProtocol.PREPARE_DISKS, CellFixture.spec("c", 1L << 30));
        assertEquals("provider-unavailable", e.code());
        assertTrue(e.getMessage().contains("provider local (StorageBackend) is not available on cell cell-1"),
                e.getMessage());
        assertTrue(cell.file("c").isEmpty(), "no file either");

        // the Core's undo: nothing was made, so nothing is asked of the (still missing) provider
        cell.call(CellProtocol.DELETE_DISKS, InstanceAction.of("c"), Object.class);
    }

    @Test
    void deleteWithoutAFileDeletesTheVolumesNamedAfterTheInstance() throws Exception {
        // a create that crashed before the cell wrote anything it knows of: only volumes by name
        cell.storage.put(CellFixture.POOL, "skiff-d-disk0", 1L << 30);
        cell.storage.put(CellFixture.POOL, "skiff-d-disk3", 1L << 30);
        cell.storage.put(CellFixture.POOL, "skiff-other-disk0", 1L << 30);

        cell.call(CellProtocol.DELETE_DISKS, InstanceAction.of("d"), Object.class);

        assertEquals(List.of("skiff-other-disk0"), cell.storage.names(CellFixture.POOL));
    }

    @Test
    void deleteWithoutAFileDeletesTheVolumesNamedAfterTheInstanceInEveryPoolOfTheCell() throws Exception {
        FakeStorageBackend nfs = new FakeStorageBackend();
        cell.agent.addStorage(nfs, Map.of("skiff.provider", "nfs", "skiff.storage.pools", "skiff-nfs",
                "service.id", 20L));
        cell.storage.put(CellFixture.POOL, "skiff-d-disk0", 1L << 30);
        nfs.put("skiff-nfs", "skiff-d-disk0", 1L << 30);
        nfs.put("skiff-nfs", "skiff-d-disk1", 1L << 30);
        nfs.put("skiff-nfs", "skiff-other-disk0", 1L << 30);

        cell.call(CellProtocol.DELETE_DISKS, InstanceAction.of("d"), Object.class);

        assertEquals(List.of(), cell.storage.names(CellFixture.POOL));
        assertEquals(List.of("skiff-other-disk0"), nfs.names("skiff-nfs"), "the NFS pool too");
    }

    @Test
    void deleteRemovesVolumesSeedFileAndConsoleLog() throws Exception {
        CellInstanceSpec spec = CellFixture.spec("e", 1L << 30, 1L << 30);
        cell.create(spec);
        Path log = dir.resolve("console/e.log");
        Files.writeString(log, "booted\n");

        cell.call(CellProtocol.DELETE_DISKS, InstanceAction.of("e"), Object.class);

        assertEquals(List.of(), cell.storage.names(CellFixture.POOL));
        assertTrue(cell.file("e").isEmpty());
        assertFalse(Files.exists(log));
    }

    @Test
    void deletedInstancesLeaveTheHeldListAtOnceThoughVolumesAreScannedOnlyEvery30Seconds() throws Exception {
        cell.create(CellFixture.spec("f", 1L << 30));
        assertTrue(cell.reportNow().held().contains("f"));
        cell.hypervisor.undefine("f");

        cell.call(CellProtocol.DELETE_DISKS, InstanceAction.of("f"), Object.class);

        // the volume owners were scanned at the first report; the second comes well within 30 s
        assertFalse(cell.reportNow().held().contains("f"), "forgotten by the delete, not only at the next scan");
    }
}
