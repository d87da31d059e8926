package io.skiff.core.internal.instance;

import io.skiff.api.model.DiskImage;
import io.skiff.api.model.DiskSpec;
import io.skiff.api.model.GuestInit;
import io.skiff.api.model.InstanceDefaults;
import io.skiff.api.model.InstanceSpec;
import io.skiff.api.model.InstanceState;
import io.skiff.api.model.Qos;
import io.skiff.api.model.StoragePool;
import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.DeviceProfile;
import io.skiff.api.spi.GuestProfile;
import io.skiff.core.internal.ComputePoolServiceImpl;
import io.skiff.core.internal.InventoryLock;
import io.skiff.core.internal.StoragePoolRecords;
import io.skiff.core.internal.image.ImageCatalog;
import io.skiff.core.internal.json.Json;
import io.skiff.core.internal.state.JournalStateStore;
import io.skiff.core.internal.task.JournaledTaskEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a create asks is checked, naming the field, and comes back with its defaults filled in. */
class InstanceRequestsTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;

    private JournalStateStore store;
    private JournaledTaskEngine engine;
    private InstanceRecords records;
    private InstanceProviders providers;
    private InstanceRequests requests;
    /** What the settings give as the defaults of a create, as a test sets them. */
    private InstanceDefaults defaults;

    @BeforeEach
    void open() throws Exception {
        store = new JournalStateStore(dir.resolve("state"), Json.newObjectMapper(), 10_000);
        engine = new JournaledTaskEngine(store, 1, Clock.systemUTC());
        InventoryLock lock = new InventoryLock();
        ComputePoolServiceImpl pools = new ComputePoolServiceImpl(store, lock);
        pools.create("pool", "");
        store.put(ImageCatalog.TYPE, "img-1", new DiskImage("img-1", "debian", "admin", "admin", "qcow2", 1L << 20,
                256L << 20, "00", List.of(), T));
        records = new InstanceRecords(store, Clock.systemUTC());
        providers = new InstanceProviders();
        providers.addProfile(profile("linux-virtio"));
        defaults = InstanceRequests.defaults(InstanceCellProtocolTest.config(SchedulerConfig.class, Map.of()));
        requests = new InstanceRequests(records, pools, new ImageCatalog(store, lock, engine, dir.resolve("images"),
                Clock.systemUTC()), providers, () -> defaults, new StoragePoolRecords(store));
    }

    @AfterEach
    void close() throws Exception {
        engine.close();
        store.close();
    }

    private static GuestProfile profile(String name) {
        return new GuestProfile() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String description() {
                return name;
            }

            @Override
            public DeviceProfile devices() {
                return null;
            }
        };
    }

    private static InstanceSpec spec(String name, int cores, long memory, List<DiskSpec> disks) {
        return new InstanceSpec(name, "pool", "", cores, memory, disks, null, "", false, "", null, null, "", null);
    }

    private String field(InstanceSpec spec) {
        return assertThrows(SkiffException.class, () -> requests.create(spec)).field();
    }

    @Test
    void aCreateGetsItsDefaults() {
        InstanceSpec checked = requests.create(spec("web-1", 1, 64L << 20, List.of(
                new DiskSpec(0, null, "img-1", null), new DiskSpec(1L << 30, null, null, null))));
        assertEquals("linux-virtio", checked.profile());
        assertEquals(InstanceSpec.BOOT_DISK, checked.bootFrom());
        assertNull(checked.cellId(), "empty means none");
        assertNull(checked.addressPoolId());
        assertNull(checked.address());
        assertNull(checked.media());
        assertEquals(new DiskSpec(256L << 20, null, "img-1", "linked"), checked.disks().get(0),
                "at least the image's size, a linked clone unless asked otherwise");
        assertEquals(new DiskSpec(1L << 30, null, null, null), checked.disks().get(1));
        assertEquals(new GuestInit("web-1", null, null, null, List.of(), List.of()), checked.guestInit(),
                "the guest is named after the instance");
    }

    @Test
    void disksThatNameNoPoolGoToTheComputePoolsStoragePool() {
        List<DiskSpec> disks = List.of(new DiskSpec(1L << 30, null, null, null), new DiskSpec(1L << 30, "tree", null));
        assertNull(requests.create(spec("vm-1", 1, 64L << 20, disks)).disks().get(0).storagePool(),
                "no storage pool attached: the cell's default, as before");
        store.put(StoragePoolRecords.TYPE, "shared", new StoragePool("shared", "shared", "nfs",
                Map.of("server", "nas", "export", "/e"), 0, 0, List.of("pool"), T));
        InstanceSpec checked = requests.create(spec("vm-2", 1, 64L << 20, disks));
        assertEquals("shared", checked.disks().get(0).storagePool());
        assertEquals("tree", checked.disks().get(1).storagePool(), "a pool the disk names stays");
    }

    @Test
    void whatACreateLeavesOutComesFromTheSettings() {
        List<DiskSpec> disk = List.of(new DiskSpec(1L << 30, null, null, null));
        InstanceSpec bare = new InstanceSpec("vm", "pool", null, null, null, disk, null, null, false);
        assertEquals(new InstanceDefaults(1, 512L << 20, "linux-virtio"), defaults, "the built-in defaults");
        InstanceSpec checked = requests.create(bare);
        assertEquals(1, checked.cores());
        assertEquals(512L << 20, checked.memoryBytes());
        assertEquals("linux-virtio", checked.profile());

        defaults = InstanceRequests.defaults(InstanceCellProtocolTest.config(SchedulerConfig.class,
                Map.of("defaultCores", 2, "defaultMemoryMib", 256L)));
        assertEquals(new InstanceDefaults(2, 256L << 20, "linux-virtio"), defaults);
        checked = requests.create(bare);
        assertEquals(2, checked.cores(), "a changed setting counts at the next create");
        assertEquals(256L << 20, checked.memoryBytes());
        checked = requests.create(new InstanceSpec("vm", "pool", null, 3, 64L << 20, disk, null, null, false));
        assertEquals(3, checked.cores(), "what a create names is kept");
        assertEquals(64L << 20, checked.memoryBytes());
        assertEquals("cores", field(new InstanceSpec("vm", "pool", null, 0, null, disk, null, null, false)),
                "a named bad value is still refused, naming its field");
        assertEquals("memoryBytes", field(new InstanceSpec("vm", "pool", null, null, 1L, disk, null, null, false)));
    }

    @Test
    void settingsOutsideTheLimitsLeaveTheBuiltInDefaults() {
        InstanceDefaults bad = InstanceRequests.defaults(InstanceCellProtocolTest.config(SchedulerConfig.class,
                Map.of("defaultCores", 0, "defaultMemoryMib", 8L)));
        assertEquals(new InstanceDefaults(InstanceRequests.DEFAULT_CORES, InstanceRequests.DEFAULT_MEMORY_MIB << 20,
                "linux-virtio"), bad);
    }

    @Test
    void badValuesNameTheirField() {
        List<DiskSpec> disk = List.of(new DiskSpec(1L << 30, null, null, null));
        assertEquals("body", assertThrows(SkiffException.class, () -> requests.create(null)).field());
        assertEquals("name", field(spec("bad name", 1, 64L << 20, disk)));
        assertEquals("cores", field(spec("vm", 0, 64L << 20, disk)));
        assertEquals("cores", field(spec("vm", InstanceRequests.MAX_CORES + 1, 64L << 20, disk)));
        assertEquals("memoryBytes", field(spec("vm", 1, 1L << 20, disk)));
        assertEquals("poolId", field(new InstanceSpec("vm", "", null, 1, 64L << 20, disk, null, null, false)));
        assertEquals("poolId", field(new InstanceSpec("vm", "nowhere", null, 1, 64L << 20, disk, null, null, false)));
        assertEquals("profile", field(new InstanceSpec("vm", "pool", null, 1, 64L << 20, disk, "beos", null, false)));
        assertEquals("disks", field(spec("vm", 1, 64L << 20, List.of())));
        assertEquals("disks.0.sizeBytes", field(spec("vm", 1, 64L << 20, List.of(new DiskSpec(1, null, null, null)))));
        assertEquals("disks.0.cloneMode", field(spec("vm", 1, 64L << 20,
                List.of(new DiskSpec(1L << 30, null, null, "linked")))));
        assertEquals("disks.0.cloneMode", field(spec("vm", 1, 64L << 20,
                List.of(new DiskSpec(0, null, "img-1", "deep")))));
        assertEquals("guestInit.hostname", field(new InstanceSpec("vm", "pool", null, 1, 64L << 20, disk, null, null,
                false, null, new GuestInit("-bad-", null, null, null, null, null), null)));
        assertEquals("qos.cpuPriority", field(new InstanceSpec("vm", "pool", null, 1, 64L << 20, disk, null, null,
                false, null, null, new Qos("urgent", null, null, null, null, null, null))));
        assertEquals("bootFrom", field(new InstanceSpec("vm", "pool", null, 1, 64L << 20, disk, null, null, false,
                null, null, null, null, "floppy")));
        assertEquals("address", field(new InstanceSpec("vm", "pool", null, 1, 64L << 20, disk, null, null, false,
                "10.0.0.5")), "an address needs an address pool");
    }

    @Test
    void aProfileThatWentAwayIsUnavailableNotUnknown() {
        GuestProfile uefi = profile("linux-uefi");
        providers.addProfile(uefi);
        providers.removeProfile(uefi);
        SkiffException e = assertThrows(SkiffException.class, () -> requests.create(new InstanceSpec("vm", "pool",
                null, 1, 64L << 20, List.of(new DiskSpec(1L << 30, null, null)), "linux-uefi", null, false)));
        assertEquals(SkiffException.Kind.UNAVAILABLE, e.kind());
        assertEquals("provider-unavailable", e.code());
    }

    @Test
    void aTakenNameIsAConflict() {
        records.save(new InstanceRecord("i-1", spec("web-1", 1, 64L << 20, List.of(new DiskSpec(1L << 30, null, null))),
                "cell-1", "admin", "admin", InstanceState.RUNNING, null, null, T, T));
        SkiffException e = assertThrows(SkiffException.class, () -> requests.create(spec("web-1", 1, 64L << 20,
                List.of(new DiskSpec(1L << 30, null, null)))));
        assertEquals(SkiffException.Kind.CONFLICT, e.kind());
        assertEquals("name", e.field());
    }

    @Test
    void theLimitsAreTheSameForEveryOperation() {
        InstanceRequests.shape(1, InstanceRequests.MIN_MEMORY);
        InstanceRequests.diskSize(InstanceRequests.MIN_DISK);
        assertEquals("sizeBytes", assertThrows(SkiffException.class,
                () -> InstanceRequests.diskSize(InstanceRequests.MAX_DISK + 1)).field());
        assertEquals("memoryBytes", assertThrows(SkiffException.class,
                () -> InstanceRequests.shape(1, InstanceRequests.MAX_MEMORY + 1)).field());
        InstanceRecord r = new InstanceRecord("i-1", spec("vm", 1, 64L << 20, List.of(new DiskSpec(1L << 30, null,
                null))), "cell-1", "admin", "admin", InstanceState.STOPPED, null, null, T, T);
        InstanceRequests.existingDisk(r, 0);
        SkiffException e = assertThrows(SkiffException.class, () -> InstanceRequests.existingDisk(r, 1));
        assertEquals("disk", e.field());
        assertTrue(e.getMessage().contains("has disks 0 to 0"), e.getMessage());
    }
}
