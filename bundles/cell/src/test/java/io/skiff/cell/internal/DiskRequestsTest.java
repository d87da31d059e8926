package io.skiff.cell.internal;

import io.skiff.api.cell.Ack;
import io.skiff.api.cell.CellDisk;
import io.skiff.api.cell.CellProtocol;
import io.skiff.api.cell.DiskAdd;
import io.skiff.api.cell.DiskCapture;
import io.skiff.api.cell.DiskCompact;
import io.skiff.api.cell.DiskRemove;
import io.skiff.api.cell.DiskResize;
import io.skiff.api.cell.DiskUsage;
import io.skiff.api.cell.DiskUsageRequest;
import io.skiff.api.cell.InstanceAction;
import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.DiskAttachment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Data disks (add, remove) and the work on one disk (resize, usage, compact, capture) on the cell. */
class DiskRequestsTest {
    @TempDir
    Path dir;
    CellFixture cell;

    @BeforeEach
    void start() throws Exception {
        cell = new CellFixture(dir, Map.of());
        cell.create(CellFixture.spec("d", 1L << 30));
    }

    @AfterEach
    void stop() {
        cell.close();
    }

    private List<String> definedDisks() {
        return cell.hypervisor.domain("d").spec.disks().stream().map(DiskAttachment::path).toList();
    }

    @Test
    void aDataDiskIsAddedToTheDefinitionAndHotPluggedWhenRunning() throws Exception {
        Ack offline = cell.call(CellProtocol.ADD_DISK, new DiskAdd("d", new CellDisk(null, null, 2L << 30, null)),
                Ack.class);
        assertEquals("offline", offline.detail());
        cell.call(CellProtocol.START, InstanceAction.of("d"), Ack.class);
        Ack live = cell.call(CellProtocol.ADD_DISK, new DiskAdd("d", new CellDisk(null, null, 3L << 30, null)),
                Ack.class);
        assertTrue(live.detail().startsWith("live vd"), live.detail());

        assertEquals(List.of("skiff-d-disk0", "skiff-d-disk1", "skiff-d-disk2"), cell.storage.names(CellFixture.POOL));
        CellInstanceFile file = cell.file("d").orElseThrow();
        assertEquals(file.volumes(), definedDisks());
        assertEquals(List.of(file.volumes().get(2)), cell.hypervisor.domain("d").attached);
    }

    @Test
    void aFailedHotPlugLeavesNoVolumeAndTheOldDefinition() throws Exception {
        cell.call(CellProtocol.START, InstanceAction.of("d"), Ack.class);
        List<String> before = definedDisks();
        cell.hypervisor.failAttach = true;

        SkiffException e = cell.refused(CellProtocol.ADD_DISK, new DiskAdd("d", new CellDisk(null, null, 1L << 30,
                null)));

        assertEquals("disk", e.field());
        assertEquals(List.of("skiff-d-disk0"), cell.storage.names(CellFixture.POOL));
        assertEquals(before, definedDisks());
        assertEquals(1, cell.file("d").orElseThrow().volumes().size());
    }

    @Test
    void aDataDiskIsRemovedLiveFromTheDefinitionAndItsVolumeDeleted() throws Exception {
        cell.call(CellProtocol.ADD_DISK, new DiskAdd("d", new CellDisk(null, null, 2L << 30, null)), Ack.class);
        cell.call(CellProtocol.START, InstanceAction.of("d"), Ack.class);

        Ack ack = cell.call(CellProtocol.REMOVE_DISK, new DiskRemove("d", 1), Ack.class);

        assertEquals("live", ack.detail());
        assertEquals(List.of("skiff-d-disk0"), cell.storage.names(CellFixture.POOL));
        assertEquals(cell.file("d").orElseThrow().volumes(), definedDisks());
    }

    @Test
    void removingADiskTheInstanceDoesNotHaveIsNoSuchDisk() {
        SkiffException past = cell.refused(CellProtocol.REMOVE_DISK, new DiskRemove("d", 1));
        assertEquals("no-such-disk", past.code());
        assertEquals(SkiffException.Kind.INVALID, past.kind());
        assertEquals("disk", past.field());
        assertEquals("instance d has data disks 1 to 0 (disk 0 is the system disk and stays)", past.getMessage());

        SkiffException system = cell.refused(CellProtocol.REMOVE_DISK, new DiskRemove("d", 0));
        assertEquals("no-such-disk", system.code());
    }

    @Test
    void diskRequestsPastTheDisksAreNoSuchDisk() {
        for (Object request : List.of(new DiskUsageRequest("d", 1), new DiskResize("d", 1, 5L << 30),
                new DiskCompact("d", 1), new DiskCapture("d", 1, "http://core.invalid", "t"))) {
            String type = request instanceof DiskUsageRequest ? CellProtocol.DISK_USAGE
                    : request instanceof DiskResize ? CellProtocol.RESIZE_DISK
                    : request instanceof DiskCompact ? CellProtocol.COMPACT_DISK : CellProtocol.CAPTURE_DISK;
            SkiffException e = cell.refused(type, request);
            assertEquals("no-such-disk", e.code(), type);
            assertEquals(SkiffException.Kind.INVALID, e.kind(), type);
            assertEquals("disk", e.field(), type);
            assertEquals("instance d has disks 0 to 0", e.getMessage(), type);
        }
    }

    @Test
    void resizeGrowsLiveOrOfflineAndShrinksOnlyAStoppedInstanceAboveItsData() throws Exception {
        assertEquals("offline", cell.call(CellProtocol.RESIZE_DISK, new DiskResize("d", 0, 2L << 30), Ack.class)
                .detail());
        assertEquals(2L << 30, cell.file("d").orElseThrow().spec().disks().get(0).sizeBytes());

        SkiffException same = cell.refused(CellProtocol.RESIZE_DISK, new DiskResize("d", 0, 2L << 30));
        assertEquals("sizeBytes", same.field());
        // the fake holds data up to a tenth of the size: 0.2 GiB
        SkiffException belowData = cell.refused(CellProtocol.RESIZE_DISK, new DiskResize("d", 0, 1L << 20));
        assertEquals(SkiffException.Kind.INVALID, belowData.kind());
        assertEquals("sizeBytes", belowData.field(), "the backend's capacityBytes is the request's sizeBytes");
        assertEquals("shrunk", cell.call(CellProtocol.RESIZE_DISK, new DiskResize("d", 0, 1L << 30), Ack.class)
                .detail());

        cell.call(CellProtocol.START, InstanceAction.of("d"), Ack.class);
        assertEquals("live", cell.call(CellProtocol.RESIZE_DISK, new DiskResize("d", 0, 4L << 30), Ack.class)
                .detail());
        // a shrink while it runs
        assertEquals("instance", cell.refused(CellProtocol.RESIZE_DISK, new DiskResize("d", 0, 512L << 20)).field());
    }

    @Test
    void usageAndCompact() throws Exception {
        DiskUsage usage = cell.call(CellProtocol.DISK_USAGE, new DiskUsageRequest("d", 0), DiskUsage.class);
        assertEquals(1L << 30, usage.capacityBytes());
        assertEquals((1L << 30) / 10, usage.dataEndBytes());

        Ack compacted = cell.call(CellProtocol.COMPACT_DISK, new DiskCompact("d", 0), Ack.class);
        assertEquals((1L << 30) / 10 + " " + (1L << 30) / 20, compacted.detail());

        cell.call(CellProtocol.START, InstanceAction.of("d"), Ack.class);
        assertEquals(SkiffException.Kind.CONFLICT, cell.refused(CellProtocol.COMPACT_DISK,
                new DiskCompact("d", 0)).kind());
    }
}
