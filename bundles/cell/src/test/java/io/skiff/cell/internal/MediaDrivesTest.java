package io.skiff.cell.internal;

import io.skiff.api.cell.Ack;
import io.skiff.api.cell.CellProtocol;
import io.skiff.api.cell.ImageSource;
import io.skiff.api.cell.InstanceAction;
import io.skiff.api.cell.MediaChange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MediaDrivesTest {
    @TempDir
    Path dir;
    CellFixture cell;
    ImageSource medium;

    @BeforeEach
    void start() throws Exception {
        cell = new CellFixture(dir, Map.of());
        medium = cell.cachedMedium("m1");
        cell.create(CellFixture.spec("a", 1L << 30));
        cell.create(CellFixture.spec("b", 1L << 30));
    }

    @AfterEach
    void stop() {
        cell.close();
    }

    private String drive(String id) {
        return cell.hypervisor.domain(id).spec.mediaDrive().path();
    }

    @Test
    void offlineTheDefinitionChangesLiveTheRunningDomain() throws Exception {
        Ack offline = cell.call(CellProtocol.CHANGE_MEDIA, new MediaChange("a", medium), Ack.class);
        assertEquals("offline", offline.detail());
        assertEquals(dir.resolve("media/m1.iso").toString(), drive("a"));
        assertEquals("m1", cell.file("a").orElseThrow().spec().media().id());

        cell.call(CellProtocol.START, InstanceAction.of("a"), Ack.class);
        Ack live = cell.call(CellProtocol.CHANGE_MEDIA, new MediaChange("a", null), Ack.class);
        assertEquals("live", live.detail());
        assertNull(drive("a"));
        assertNull(cell.file("a").orElseThrow().spec().media());
    }

    @Test
    void aMediumLeavesTheCacheWhenNoInstanceHoldsIt() throws Exception {
        Path iso = dir.resolve("media/m1.iso");
        cell.call(CellProtocol.CHANGE_MEDIA, new MediaChange("a", medium), Ack.class);
        cell.call(CellProtocol.CHANGE_MEDIA, new MediaChange("b", medium), Ack.class);

        cell.call(CellProtocol.CHANGE_MEDIA, new MediaChange("a", null), Ack.class);
        assertTrue(Files.exists(iso), "b holds it");
        cell.call(CellProtocol.DELETE_DISKS, InstanceAction.of("b"), Ack.class);
        assertFalse(Files.exists(iso), "nobody does");
    }

    @Test
    void aFailedRedefinitionLeavesTheFileAsItWas() throws Exception {
        cell.agent.removeProfile(cell.profile);
        assertEquals("provider-unavailable", cell.refused(CellProtocol.CHANGE_MEDIA,
                new MediaChange("a", medium)).code());
        assertNull(cell.file("a").orElseThrow().spec().media());
        assertNull(drive("a"));
        assertFalse(Files.exists(dir.resolve("media/m1.iso")), "the fetched medium is not held by anyone");
    }
}
