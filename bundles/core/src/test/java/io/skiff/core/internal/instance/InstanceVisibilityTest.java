package io.skiff.core.internal.instance;

import io.skiff.api.model.DiskImage;
import io.skiff.api.model.DiskSpec;
import io.skiff.api.model.InstanceSpec;
import io.skiff.api.model.InstanceState;
import io.skiff.api.model.InstanceStatus;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.SkiffException;
import io.skiff.core.internal.ComputePoolServiceImpl;
import io.skiff.core.internal.FakeDirectory;
import io.skiff.core.internal.InventoryLock;
import io.skiff.core.internal.image.ImageCatalog;
import io.skiff.core.internal.json.Json;
import io.skiff.core.internal.state.JournalStateStore;
import io.skiff.core.internal.task.JournaledTaskEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.skiff.core.internal.FakeDirectory.ALICE;
import static io.skiff.core.internal.FakeDirectory.BOB;
import static io.skiff.core.internal.FakeDirectory.CAROL;
import static io.skiff.core.internal.FakeDirectory.DAVE;
import static io.skiff.core.internal.FakeDirectory.OTTO;
import static io.skiff.core.internal.FakeDirectory.assertNotFound;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Visibility lives in the Core: the instance services answer a caller only about the instances it may see (the
 * identity service's rule), an invisible one exactly like one that does not exist, before anything else is checked;
 * without an identity service every instance is visible. No cell is asked for anything.
 */
@DisplayName("The instance services apply visibility for their caller (unit)")
class InstanceVisibilityTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;

    private JournalStateStore store;
    private JournaledTaskEngine engine;
    private InstanceCapabilities instances;

    /** alice's instance (group red, not sharing) and carol's (group team, sharing); alice's image. */
    private void open(boolean withDirectory) throws Exception {
        store = new JournalStateStore(dir.resolve("state"), Json.newObjectMapper(), 10_000);
        store.put(InstanceRecord.TYPE, "i-alice", record("i-alice", "alice-vm", "alice", "red"));
        store.put(InstanceRecord.TYPE, "i-carol", record("i-carol", "carol-vm", "carol", "team"));
        store.put(ImageCatalog.TYPE, "img-alice", new DiskImage("img-alice", "alice-os", "alice", "red", "qcow2",
                1L << 20, 256L << 20, "00", List.of(), T));
        engine = new JournaledTaskEngine(store, 2, Clock.systemUTC());
        InventoryLock lock = new InventoryLock();
        InstanceProviders providers = new InstanceProviders();
        if (withDirectory) {
            providers.setIdentity(FakeDirectory.create());
        }
        instances = new InstanceCapabilities(store, engine, new InstanceCellProtocolTest.NoCells(),
                new ComputePoolServiceImpl(store, lock),
                new ImageCatalog(store, lock, engine, dir.resolve("images"), Clock.systemUTC()),
                new FakeCellTransport("cell-1"), null,
                InstanceCellProtocolTest.config(SchedulerConfig.class, Map.of()), FaultInjection.NONE, providers);
        instances.undoHandlers().forEach(engine.undoHandlers()::add);
        engine.start();
    }

    private static InstanceRecord record(String id, String name, String owner, String group) {
        InstanceSpec spec = new InstanceSpec(name, "pool", null, 1, 256L << 20,
                List.of(new DiskSpec(64L << 20, null, null, null)), "linux-virtio", null, false, null, null, null);
        // running: every operation below would be refused for its state if visibility did not come first
        return new InstanceRecord(id, spec, "cell-1", owner, group, InstanceState.RUNNING, null, null, T, T);
    }

    @AfterEach
    void close() throws Exception {
        if (instances != null) {
            instances.close();
        }
        if (engine != null) {
            engine.close();
        }
        if (store != null) {
            store.close();
        }
    }

    private List<String> names(AuthenticatedUser caller) {
        return instances.lifecycle().list(caller).stream().map(i -> i.spec().name()).sorted().toList();
    }

    @Test
    void anInstanceTheCallerMayNotSeeIsAnsweredLikeOneThatDoesNotExist() throws Exception {
        open(true);
        SkiffException missing = assertThrows(SkiffException.class, () -> instances.lifecycle().get("no-vm", BOB));
        assertNull(missing.field());
        for (String ref : List.of("alice-vm", "i-alice")) {
            String message = "instance '" + ref + "' does not exist";
            assertEquals(message.replace(ref, "no-vm"), missing.getMessage());
            assertNotFound(null, message, () -> instances.lifecycle().get(ref, BOB));
            assertNotFound(null, message, () -> instances.lifecycle().start(ref, BOB));
            assertNotFound(null, message, () -> instances.lifecycle().stop(ref, false, BOB));
            assertNotFound(null, message, () -> instances.lifecycle().delete(ref, false, BOB));
            assertNotFound(null, message, () -> instances.lifecycle().modify(ref, null, 2, null, BOB));
            assertNotFound(null, message, () -> instances.lifecycle().consoleLog(ref, 1024, BOB));
            assertNotFound(null, message, () -> instances.disks().addDisk(ref, 64L << 20, null, BOB));
            assertNotFound(null, message, () -> instances.disks().compactDisk(ref, 0, BOB));
            assertNotFound(null, message, () -> instances.media().ejectMedia(ref, BOB));
            assertNotFound(null, message, () -> instances.media().setBootFrom(ref, "disk", BOB));
            assertNotFound(null, message, () -> instances.snapshots().snapshots(ref, BOB));
            assertNotFound(null, message, () -> instances.snapshots().createSnapshot(ref, "s1", null, BOB));
            assertNotFound(null, message, () -> instances.systemDiskImages().resetSystem(ref, BOB));
            assertNotFound(null, message, () -> instances.addresses().rebindAddress(ref, null, BOB));
            assertNotFound(null, message, () -> instances.qos().setQos(ref, null, BOB));
        }
        assertNotFound("instances.1", "instance 'alice-vm' does not exist",
                () -> instances.batches().stopBatch(List.of("carol-vm", "alice-vm"), true, DAVE));
        assertNotFound("instances.0", "instance 'alice-vm' does not exist",
                () -> instances.batches().deleteBatch(List.of("alice-vm"), true, BOB));
    }

    @Test
    void itsOwnerAndItsSharingGroupSeeAnInstance() throws Exception {
        open(true);
        assertEquals("alice-vm", instances.lifecycle().get("i-alice", ALICE).spec().name());
        assertEquals("carol-vm", instances.lifecycle().get("carol-vm", DAVE).spec().name());
        // past visibility, the operation's own checks answer
        SkiffException running = assertThrows(SkiffException.class,
                () -> instances.lifecycle().start("carol-vm", DAVE));
        assertEquals(SkiffException.Kind.CONFLICT, running.kind());
    }

    @Test
    void listsLeaveOutWhatTheCallerMayNotSee() throws Exception {
        open(true);
        assertEquals(List.of("alice-vm"), names(ALICE));
        assertEquals(List.of(), names(BOB));
        assertEquals(List.of("carol-vm"), names(CAROL));
        assertEquals(List.of("carol-vm"), names(DAVE));
        assertEquals(2, instances.lifecycle().list().size(), "the platform's own list has every instance");
    }

    @Test
    void resourceAllSeesEveryInstance() throws Exception {
        open(true);
        assertEquals(List.of("alice-vm", "carol-vm"), names(OTTO));
        assertEquals("alice", instances.lifecycle().get("alice-vm", OTTO).owner());
    }

    @Test
    void withoutAnIdentityServiceEveryInstanceIsVisible() throws Exception {
        open(false);
        assertEquals(List.of("alice-vm", "carol-vm"), names(BOB));
        InstanceStatus seen = instances.lifecycle().get("alice-vm", BOB);
        assertEquals("i-alice", seen.id());
    }

    @Test
    void aCreateNamingAnImageTheCallerMayNotSeeIsRefusedAsIfItDidNotExist() throws Exception {
        open(true);
        InstanceSpec spec = new InstanceSpec("bob-vm", "pool", null, 1, 256L << 20,
                List.of(new DiskSpec(0, null, "alice-os", null)), "linux-virtio", null, false, null, null, null);
        assertNotFound("disks", "image 'alice-os' does not exist", () -> instances.lifecycle().create(spec, BOB));
        assertNotFound("disks", "image 'alice-os' does not exist",
                () -> instances.batches().createBatch(spec, "bob-{n}", 2, BOB));
    }
}
