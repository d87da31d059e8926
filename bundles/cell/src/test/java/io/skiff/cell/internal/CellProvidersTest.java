package io.skiff.cell.internal;

import io.skiff.api.cell.CellDisk;
import io.skiff.api.cell.StoragePoolDefinition;
import io.skiff.api.service.SkiffException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CellProvidersTest {
    private final CellProviders providers = new CellProviders("cell-1", new CellProviders.Names("libvirt", "local",
            "skiff-local", "qcow2", "nocloud", "dnsmasq"));

    @Test
    void theProviderTheSettingsNameIsUsedWhateverRanksHigher() {
        FakeHypervisor libvirt = new FakeHypervisor();
        FakeHypervisor other = new FakeHypervisor();
        providers.addHypervisor(other, Map.of("skiff.provider", "other", "service.ranking", 1000, "service.id", 1L));
        providers.addHypervisor(libvirt, Map.of("skiff.provider", "libvirt", "service.id", 2L));
        assertSame(libvirt, providers.hypervisor());

        providers.removeHypervisor(libvirt);
        SkiffException e = assertThrows(SkiffException.class, providers::hypervisor);
        assertEquals("provider-unavailable", e.code());
        assertEquals("provider libvirt (Hypervisor) is not available on cell cell-1", e.getMessage());
        assertNull(providers.hypervisorIfPresent());
    }

    @Test
    void twoServicesOfOneNameAreOrderedAsOsgiOrdersThem() {
        FakeSnapshotProvider old = new FakeSnapshotProvider();
        FakeSnapshotProvider updated = new FakeSnapshotProvider();
        providers.addSnapshots(old, Map.of("skiff.provider", "qcow2", "service.id", 5L));
        providers.addSnapshots(updated, Map.of("skiff.provider", "qcow2", "service.id", 9L, "service.ranking", 1));
        assertSame(updated, providers.snapshots(), "higher ranking first");
        providers.removeSnapshots(updated);
        assertSame(old, providers.snapshots(), "the other one stays");
    }

    @Test
    void aPoolTheCoreDefinesIsTakenOnceByABackendOfItsProvider() {
        FakeStorageBackend local = new FakeStorageBackend();
        FakeStorageBackend nfs = new FakeStorageBackend();
        providers.addStorage(local, Map.of("skiff.provider", "local"));
        providers.addStorage(nfs, Map.of("skiff.provider", "nfs", "skiff.storage.pools", "skiff-nfs"));
        StoragePoolDefinition shared = new StoragePoolDefinition("shared", "nfs", Map.of("server", "nas",
                "export", "/export", "mode", "libnfs"));

        providers.takePool(shared);
        providers.takePool(shared);
        assertEquals(Map.of("shared", shared.settings()), nfs.defined, "taken once");
        assertSame(nfs, providers.storage("shared"));
        assertEquals(List.of("skiff-local", "shared", "skiff-nfs"), providers.pools(), "reported from now on");

        providers.takePool(new StoragePoolDefinition("skiff-nfs", "nfs", Map.of("server", "other")));
        providers.takePool(new StoragePoolDefinition("skiff-local", "local", Map.of()));
        providers.takePool(null);
        assertEquals(List.of("shared"), List.copyOf(nfs.defined.keySet()), "the cell's own pools stay configured");
        assertTrue(local.defined.isEmpty());

        SkiffException absent = assertThrows(SkiffException.class,
                () -> providers.takePool(new StoragePoolDefinition("ceph-1", "ceph", Map.of())));
        assertEquals("provider-unavailable", absent.code());
        nfs.refusePools = SkiffException.invalid("server", "NFS server 'gone' is not reachable");
        SkiffException refused = assertThrows(SkiffException.class,
                () -> providers.takePool(new StoragePoolDefinition("other", "nfs", Map.of("server", "gone"))));
        assertEquals("server", refused.field());
        assertSame(local, providers.storage("other"), "a refused pool is not routed to the backend");
    }

    @Test
    void poolsOfTheInstancesFilesGoToTheirBackendWhenItComes() {
        StoragePoolDefinition shared = new StoragePoolDefinition("shared", "nfs", Map.of("server", "nas"));
        providers.restorePools(List.of(new CellDisk("v", null, 1, null),
                new CellDisk("skiff-i-disk0", "shared", 1, null, false, shared)));
        FakeStorageBackend nfs = new FakeStorageBackend();
        assertEquals("nfs", providers.providerOf("shared"), "the disks' requests name the missing provider");

        providers.addStorage(nfs, Map.of("skiff.provider", "nfs"));
        assertEquals(Map.of("shared", shared.settings()), nfs.defined);
        providers.removeStorage(nfs);
        FakeStorageBackend updated = new FakeStorageBackend();
        providers.addStorage(updated, Map.of("skiff.provider", "nfs"));
        assertEquals(Map.of("shared", shared.settings()), updated.defined, "an updated backend gets it again");
    }

    @Test
    void aCheckGoesToTheBackendOfThePoolsProvider() {
        FakeStorageBackend nfs = new FakeStorageBackend();
        StoragePoolDefinition shared = new StoragePoolDefinition("shared", "nfs", Map.of("server", "nas"));
        assertEquals("provider-unavailable", assertThrows(SkiffException.class,
                () -> providers.checkPool(shared)).code());
        providers.addStorage(nfs, Map.of("skiff.provider", "nfs"));
        providers.checkPool(shared);
        assertTrue(nfs.defined.isEmpty(), "a check keeps nothing");
        nfs.refusePools = SkiffException.invalid("export", "not exported");
        assertEquals("export", assertThrows(SkiffException.class, () -> providers.checkPool(shared)).field());
    }

    @Test
    void aPoolGoesToTheBackendThatDeclaredItElseToTheConfiguredOne() {
        FakeStorageBackend local = new FakeStorageBackend();
        FakeStorageBackend nfs = new FakeStorageBackend();
        providers.addStorage(local, Map.of("skiff.provider", "local"));
        providers.addStorage(nfs, Map.of("skiff.provider", "nfs", "skiff.storage.pools", "shared, archive"));

        assertSame(nfs, providers.storage("shared"));
        assertSame(local, providers.storage("skiff-local"));
        assertSame(local, providers.storage("anything-else"));
        assertEquals("skiff-local", providers.poolOf(new CellDisk("v", null, 1, null)));
        assertEquals("shared", providers.poolOf(new CellDisk("v", "shared", 1, null)));
        assertEquals(List.of("skiff-local", "archive", "shared"), providers.pools());

        providers.removeStorage(nfs);
        SkiffException e = assertThrows(SkiffException.class, () -> providers.storage("shared"));
        assertEquals("provider nfs (StorageBackend) is not available on cell cell-1", e.getMessage(),
                "the pool still names its provider");
    }

    @Test
    void profilesByTheirName() {
        providers.addProfile(CellFixture.profile("windows"), Map.of());
        assertEquals("windows", providers.profile("windows").name());
        assertEquals("provider legacy (GuestProfile) is not available on cell cell-1",
                assertThrows(SkiffException.class, () -> providers.profile("legacy")).getMessage());
    }
}
