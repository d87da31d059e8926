package io.skiff.cell.internal;

import io.skiff.api.cell.CellDisk;
import io.skiff.api.service.SkiffException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
