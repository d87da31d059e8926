package io.skiff.core.internal;

import io.skiff.api.model.CellStoragePool;
import io.skiff.api.model.DiskSpec;
import io.skiff.api.model.InstanceSpec;
import io.skiff.api.model.InstanceState;
import io.skiff.api.model.InstanceStatus;
import io.skiff.api.model.ProviderInfo;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ProviderInventoryTest {

    private static InstanceStatus instance(String name, String cell, String profile, String pool) {
        InstanceSpec spec = new InstanceSpec(name, "p", null, 1, 64L << 20, List.of(new DiskSpec(1L << 20, pool, null)),
                profile, null, false);
        return new InstanceStatus(name + "-id", spec, InstanceState.RUNNING, cell, "admin", "admin", null, null, null,
                null, Instant.EPOCH, Instant.EPOCH);
    }

    private static ProviderInventory.Registered reg(String spi, String name) {
        return new ProviderInventory.Registered(spi, name, 7, "b", "1.0.0", 1);
    }

    @Test
    void dependantsPerProvider() {
        List<CellStoragePool> pools = List.of(
                new CellStoragePool("c1", "skiff-local", "local", 1, 0, 1, Instant.EPOCH),
                new CellStoragePool("c1", "tree", "tree", 1, 0, 1, Instant.EPOCH));
        List<InstanceStatus> instances = List.of(
                instance("a", "c1", "linux-virtio", null),
                instance("b", "c1", "linux-uefi", "tree"));
        List<ProviderInfo> out = ProviderInventory.usage(List.of(
                reg("StorageBackend", "local"), reg("StorageBackend", "tree"), reg("GuestProfile", "linux-virtio"),
                reg("GuestProfile", "windows"), reg("PlacementPolicy", "pack"),
                reg("PlacementPolicy", "least-loaded"), reg("Hypervisor", "libvirt")), instances, pools, "pack");
        Map<String, List<String>> used = out.stream().collect(Collectors.toMap(p -> p.spi() + "/" + p.name(),
                ProviderInfo::usedBy));
        assertEquals(List.of("a"), used.get("StorageBackend/local"), "a disk without a pool is in the default pool");
        assertEquals(List.of("b"), used.get("StorageBackend/tree"));
        assertEquals(List.of("a"), used.get("GuestProfile/linux-virtio"));
        assertEquals(List.of(), used.get("GuestProfile/windows"));
        assertEquals(List.of("setting io.skiff.core.instances placementPolicy"), used.get("PlacementPolicy/pack"));
        assertEquals(List.of(), used.get("PlacementPolicy/least-loaded"));
        assertEquals(List.of("a", "b"), used.get("Hypervisor/libvirt"));
        assertEquals("GuestProfile", out.get(0).spi(), "sorted by SPI");
    }
}
