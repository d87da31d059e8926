package io.skiff.cell.internal;

import io.skiff.api.cell.Ack;
import io.skiff.api.cell.CellProtocol;
import io.skiff.api.cell.ImageSource;
import io.skiff.api.cell.InstanceAction;
import io.skiff.api.cell.MediaChange;
import io.skiff.api.cell.SnapshotList;
import io.skiff.api.cell.SnapshotRequest;
import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.DomainState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InstanceSnapshotsTest {
    /** What a provider passes on when libvirt refuses; its words are libvirt's and the cell never reads them. */
    private static final SkiffException LIBVIRT_REFUSAL = new SkiffException(SkiffException.Kind.INTERNAL, "internal",
            "instance s: deleting snapshot 'with-m' failed: some words of libvirt", null);

    @TempDir
    Path dir;
    CellFixture cell;
    ImageSource medium;

    @BeforeEach
    void start() throws Exception {
        cell = new CellFixture(dir, Map.of());
        medium = cell.cachedMedium("m1");
        cell.create(CellFixture.spec("s", 1L << 30));
    }

    @AfterEach
    void stop() {
        cell.close();
    }

    private Path iso() {
        return dir.resolve("media/m1.iso");
    }

    @Test
    void aSnapshotsMediumStaysCachedUntilTheLastSnapshotIsDeleted() throws Exception {
        cell.call(CellProtocol.CHANGE_MEDIA, new MediaChange("s", medium), Ack.class);
        cell.call(CellProtocol.SNAPSHOT_CREATE, new SnapshotRequest("s", "with-m", null), Object.class);
        cell.call(CellProtocol.SNAPSHOT_CREATE, new SnapshotRequest("s", "later", null), Object.class);
        cell.call(CellProtocol.CHANGE_MEDIA, new MediaChange("s", null), Ack.class);
        assertTrue(Files.exists(iso()), "a snapshot names it: a revert needs it");

        cell.call(CellProtocol.SNAPSHOT_DELETE, new SnapshotRequest("s", "with-m", null), Ack.class);
        assertTrue(Files.exists(iso()), "the instance still has snapshots");
        cell.call(CellProtocol.SNAPSHOT_DELETE, new SnapshotRequest("s", "later", null), Ack.class);
        assertFalse(Files.exists(iso()), "no snapshot and no drive holds it any more");
        assertEquals(List.of(), cell.call(CellProtocol.SNAPSHOT_LIST, InstanceAction.of("s"), SnapshotList.class)
                .snapshots());
    }

    @Test
    void aRevertPutsTheInstancesOwnMediumBack() throws Exception {
        cell.call(CellProtocol.SNAPSHOT_CREATE, new SnapshotRequest("s", "empty", null), Object.class);
        cell.call(CellProtocol.START, InstanceAction.of("s"), Ack.class);
        cell.call(CellProtocol.CHANGE_MEDIA, new MediaChange("s", medium), Ack.class);

        Ack ack = cell.call(CellProtocol.SNAPSHOT_REVERT, new SnapshotRequest("s", "empty", null), Ack.class);

        assertEquals("reverted to empty, media drive holds m1", ack.detail());
        assertEquals(iso().toString(), cell.hypervisor.domain("s").spec.mediaDrive().path());
    }

    @Test
    void aRunningInstancesSnapshotTakenWithAnotherMediumIsAConflictNamingSnapshot() throws Exception {
        cell.call(CellProtocol.CHANGE_MEDIA, new MediaChange("s", medium), Ack.class);
        cell.call(CellProtocol.SNAPSHOT_CREATE, new SnapshotRequest("s", "with-m", null), Object.class);
        cell.call(CellProtocol.START, InstanceAction.of("s"), Ack.class);
        cell.call(CellProtocol.CHANGE_MEDIA, new MediaChange("s", null), Ack.class);
        cell.snapshots.deleteFailure = LIBVIRT_REFUSAL;

        SkiffException e = cell.refused(CellProtocol.SNAPSHOT_DELETE, new SnapshotRequest("s", "with-m", null));

        assertEquals(SkiffException.Kind.CONFLICT, e.kind());
        assertEquals("snapshot", e.field());
        assertEquals("snapshot 'with-m' was taken with another medium in a CD-ROM drive; libvirt deletes it only "
                + "while the instance is stopped (stop it, then delete the snapshot)", e.getMessage());
    }

    @Test
    void otherRefusalsPassUnchanged() throws Exception {
        cell.call(CellProtocol.CHANGE_MEDIA, new MediaChange("s", medium), Ack.class);
        cell.call(CellProtocol.SNAPSHOT_CREATE, new SnapshotRequest("s", "with-m", null), Object.class);
        cell.call(CellProtocol.START, InstanceAction.of("s"), Ack.class);
        cell.snapshots.deleteFailure = LIBVIRT_REFUSAL;

        // the same medium as then
        assertSame(LIBVIRT_REFUSAL, cell.refused(CellProtocol.SNAPSHOT_DELETE,
                new SnapshotRequest("s", "with-m", null)));
        // stopped: libvirt's refusal is not about the media drive
        cell.call(CellProtocol.CHANGE_MEDIA, new MediaChange("s", null), Ack.class);
        cell.call(CellProtocol.STOP, new InstanceAction("s", 0, true), Ack.class);
        assertEquals(DomainState.SHUT_OFF, cell.hypervisor.state("s"));
        assertSame(LIBVIRT_REFUSAL, cell.refused(CellProtocol.SNAPSHOT_DELETE,
                new SnapshotRequest("s", "with-m", null)));
    }

    @Test
    void aSnapshotTheCellHasNoNoteOfIsJudgedByTheMediaItsSnapshotsHeld() throws Exception {
        cell.call(CellProtocol.CHANGE_MEDIA, new MediaChange("s", medium), Ack.class);
        cell.call(CellProtocol.SNAPSHOT_CREATE, new SnapshotRequest("s", "old", null), Object.class);
        Files.delete(dir.resolve("snapshot-media/s.snapshots")); // as a cell before these notes left it
        cell.call(CellProtocol.START, InstanceAction.of("s"), Ack.class);
        cell.call(CellProtocol.CHANGE_MEDIA, new MediaChange("s", null), Ack.class);
        cell.snapshots.deleteFailure = LIBVIRT_REFUSAL;

        assertEquals("snapshot", cell.refused(CellProtocol.SNAPSHOT_DELETE,
                new SnapshotRequest("s", "old", null)).field());
    }

    @Test
    void snapshotRequestsForAnUnknownInstanceAreNotFound() {
        SkiffException e = cell.refused(CellProtocol.SNAPSHOT_LIST, InstanceAction.of("nope"));
        assertEquals(SkiffException.Kind.NOT_FOUND, e.kind());
        assertEquals("instance", e.field());
    }
}
