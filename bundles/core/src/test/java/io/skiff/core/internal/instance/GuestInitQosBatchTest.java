package io.skiff.core.internal.instance;

import io.skiff.api.model.GuestInit;
import io.skiff.api.model.Qos;
import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.GuestInitSpec;
import org.apache.commons.codec.digest.Crypt;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GuestInitQosBatchTest {

    private static String field(Runnable r) {
        return assertThrows(SkiffException.class, r::run).field();
    }

    @Test
    void hostnameDefaultsToTheInstanceName() {
        GuestInit init = GuestInits.validate(null, "web-1", 1);
        assertEquals("web-1", init.hostname());
        assertEquals("web-1", GuestInits.validate(new GuestInit(null, null, null, null, null, null), "web-1", 1)
                .hostname());
    }

    @Test
    void plainPasswordIsHashedAndDropped() {
        GuestInit init = GuestInits.validate(new GuestInit("h", "ops", "s3cret!", null, List.of(), List.of()), "x", 1);
        assertNull(init.adminPassword());
        assertTrue(init.adminPasswordHash().startsWith("$6$"), init.adminPasswordHash());
        assertEquals(init.adminPasswordHash(), Crypt.crypt("s3cret!", init.adminPasswordHash()));
        assertFalse(init.toString().contains("s3cret"));
        assertFalse(new GuestInit("h", "ops", "s3cret!", null, null, null).toString().contains("s3cret"));
    }

    @Test
    void badGuestInitNamesTheField() {
        assertEquals("guestInit.hostname", field(() -> GuestInits.validate(
                new GuestInit("-bad-", null, null, null, null, null), "x", 1)));
        assertEquals("guestInit.adminUser", field(() -> GuestInits.validate(
                new GuestInit(null, "Root!", "pw", null, null, null), "x", 1)));
        assertEquals("guestInit.adminUser", field(() -> GuestInits.validate(
                new GuestInit(null, null, "pw", null, null, null), "x", 1)));
        assertEquals("guestInit.sshKeys.0", field(() -> GuestInits.validate(
                new GuestInit(null, "ops", null, null, List.of("not a key"), null), "x", 1)));
        assertEquals("guestInit.mounts.0.disk", field(() -> GuestInits.validate(
                new GuestInit(null, null, null, null, null, List.of(new GuestInit.Mount(1, "ext4", "/data"))), "x", 1)));
        assertEquals("guestInit.mounts.0.filesystem", field(() -> GuestInits.validate(
                new GuestInit(null, null, null, null, null, List.of(new GuestInit.Mount(1, "ntfs", "/data"))), "x", 2)));
        assertEquals("guestInit.mounts.0.mountPoint", field(() -> GuestInits.validate(
                new GuestInit(null, null, null, null, null, List.of(new GuestInit.Mount(1, "ext4", "/"))), "x", 2)));
    }

    @Test
    void mountPointsAreNeverRootAndHashesOnlySha512() {
        for (String point : List.of("//", "/.", "/data/", "/a//b", "/a/../b")) {
            assertEquals("guestInit.mounts.0.mountPoint", field(() -> GuestInits.validate(new GuestInit(null, null,
                    null, null, null, List.of(new GuestInit.Mount(1, "ext4", point))), "x", 2)), point);
        }
        assertEquals("guestInit.mounts.1.mountPoint", field(() -> GuestInits.validate(new GuestInit(null, null, null,
                null, null, List.of(new GuestInit.Mount(1, null, "/data"), new GuestInit.Mount(2, null, "/data"))),
                "x", 3)));
        assertEquals("guestInit.adminPasswordHash", field(() -> GuestInits.validate(
                new GuestInit(null, "ops", null, "$y$j9T$salt$hash", null, null), "x", 1)));
        String hash = "$6$saltsalt$" + "A".repeat(86);
        assertEquals(hash, GuestInits.validate(new GuestInit(null, "ops", null, hash, null, null), "x", 1)
                .adminPasswordHash());
    }

    @Test
    void dataDisksMapToGuestDevices() {
        GuestInit init = GuestInits.validate(new GuestInit(null, null, null, null, null,
                List.of(new GuestInit.Mount(1, null, "/data"), new GuestInit.Mount(2, "xfs", "/logs"))), "vm", 3);
        GuestInitSpec virtio = GuestInits.toSpec(init, "virtio");
        assertEquals(List.of(new GuestInitSpec.DataDiskMount("vdb", "ext4", "/data"),
                new GuestInitSpec.DataDiskMount("vdc", "xfs", "/logs")), virtio.dataDisks());
        assertEquals("sdb", GuestInits.toSpec(init, "sata").dataDisks().get(0).device());
    }

    @Test
    void qosRangesNameTheField() {
        assertEquals("qos.cpuPriority", field(() -> Qoses.validate(new Qos("urgent", null, null, null, null, null, null))));
        assertEquals("qos.diskReadIops", field(() -> Qoses.validate(new Qos("low", -1L, null, null, null, null, null))));
        assertEquals("qos.diskWriteBytesPerSecond", field(() -> Qoses.validate(
                new Qos(null, null, null, null, Long.MAX_VALUE, null, null))));
        assertEquals("qos.netTxKiBPerSecond", field(() -> Qoses.validate(
                new Qos(null, null, null, null, null, null, 1L << 40))));
        Qos ok = Qoses.validate(new Qos(null, 0L, 100L, null, null, 1024L, null));
        assertEquals("medium", ok.cpuPriority());
        assertNull(ok.diskReadIops(), "0 means unlimited");
        assertEquals(100L, ok.diskWriteIops());
    }

    @Test
    void batchNamesFollowThePattern() {
        assertEquals(List.of("web-01", "web-02", "web-03"), InstanceBatches.batchNames("web-{nn}", 3));
        assertEquals(List.of("a1", "a2"), InstanceBatches.batchNames("a{n}", 2));
        assertEquals("namePattern", field(() -> InstanceBatches.batchNames("web", 2)));
        assertEquals("count", field(() -> InstanceBatches.batchNames("web-{n}", 0)));
        assertEquals("count", field(() -> InstanceBatches.batchNames("web-{n}", 101)));
        assertEquals("namePattern", field(() -> InstanceBatches.batchNames("bad name {n}", 1)));
    }
}
