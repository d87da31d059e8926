package io.skiff.core.internal.instance;

import io.skiff.api.cell.Ack;
import io.skiff.api.cell.CellDisk;
import io.skiff.api.cell.CellProtocol;
import io.skiff.api.cell.DiskAdd;
import io.skiff.api.cell.DiskRemove;
import io.skiff.api.cell.DiskUsage;
import io.skiff.api.cell.InstanceAction;
import io.skiff.api.cell.MediaChange;
import io.skiff.api.cell.StoragePoolDefinition;
import io.skiff.api.model.Cell;
import io.skiff.api.model.DiskSpec;
import io.skiff.api.model.InstanceDefaults;
import io.skiff.api.model.InstanceSpec;
import io.skiff.api.model.InstanceState;
import io.skiff.api.model.MediaImage;
import io.skiff.api.model.StepInfo;
import io.skiff.api.model.StoragePool;
import io.skiff.api.model.TaskInfo;
import io.skiff.api.model.TaskState;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.CellService;
import io.skiff.api.service.SkiffException;
import io.skiff.api.transport.ClusterTransport;
import io.skiff.core.internal.InventoryLock;
import io.skiff.core.internal.StoragePoolRecords;
import io.skiff.core.internal.image.MediaCatalog;
import io.skiff.core.internal.state.JournalStateStore;
import io.skiff.core.internal.task.JournaledTaskEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.annotation.Annotation;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The instance capabilities ({@link InstanceCapabilities}) with a real journal and task engine, and the <b>cell protocol faked at unit level</b>: a
 * {@link ClusterTransport} stand-in answers the Core's requests to cell {@code cell-1} from handlers per message
 * type and records them. No libvirt, no network.
 */
@DisplayName("The instance capabilities against a faked cell protocol (unit)")
class InstanceCellProtocolTest {
    private static final AuthenticatedUser ADMIN = new AuthenticatedUser("admin", Set.of("admin"));


    private static final String CELL = "cell-1";

    @TempDir
    Path dir;

    private final FakeCellTransport cell = new FakeCellTransport(CELL);
    private JournalStateStore store;
    private JournaledTaskEngine engine;
    private InstanceCapabilities instances;

    private void open(Map<String, Object> settings, InstanceRecord... records) throws Exception {
        CapabilitiesFixture f = CapabilitiesFixture.open(dir, new NoCells(), cell, settings, new InstanceProviders(), 6,
                records);
        store = f.store();
        engine = f.engine();
        instances = f.instances();
    }

    @AfterEach
    void close() {
        if (instances != null) {
            instances.close();
        }
        if (engine != null) {
            engine.close();
        }
    }

    private static InstanceRecord record(String id, String name, InstanceState state, int disks) {
        List<DiskSpec> specs = new ArrayList<>();
        for (int i = 0; i < disks; i++) {
            specs.add(new DiskSpec((i + 1) * (64L << 20), null, null, null));
        }
        InstanceSpec spec = new InstanceSpec(name, "pool", null, 1, 256L << 20, specs, "linux-virtio", null, false,
                null, null, null);
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        return new InstanceRecord(id, spec, CELL, "admin", "admin", state, null, null, t, t);
    }

    private TaskInfo await(TaskInfo task) throws Exception {
        return engine.completion(task.id()).get(30, TimeUnit.SECONDS);
    }

    private List<Long> diskSizes(String id) {
        return instances.lifecycle().get(id).spec().disks().stream().map(DiskSpec::sizeBytes).toList();
    }

    // ---- data disks -------------------------------------------------------------------------------------------

    @Test
    @DisplayName("add data disk: an instance on a storage pool of the Core gets it there, with the pool's definition")
    void addDiskGoesToTheInstancesStoragePool() throws Exception {
        InstanceRecord r = record("i-1", "vm-1", InstanceState.STOPPED, 1);
        r = r.withSpec(new InstanceSpec("vm-1", "pool", null, 1, 256L << 20,
                List.of(new DiskSpec(64L << 20, "shared", null)), "linux-virtio", null, false), r.updatedAt())
                .onStoragePool(new StoragePool("shared", "shared", "nfs", Map.of(), 0, 0));
        open(Map.of(), r);
        Map<String, String> settings = Map.of("server", "nas", "export", "/export", "mode", "libnfs");
        store.put(StoragePoolRecords.TYPE, "shared", new StoragePool("shared", "shared", "nfs", settings, 0, 0,
                List.of("pool"), null));
        cell.answer(CellProtocol.ADD_DISK, body -> new Ack(((DiskAdd) body).instanceId(), "offline"));

        TaskInfo done = await(instances.disks().addDisk("vm-1", 32L << 20, null, ADMIN));

        assertEquals(TaskState.SUCCEEDED, done.state(), done.toString());
        CellDisk added = ((DiskAdd) cell.bodies(CellProtocol.ADD_DISK).get(0)).disk();
        assertEquals("shared", added.storagePool());
        assertEquals(new StoragePoolDefinition("shared", "nfs", settings), added.poolDefinition());
        assertEquals("shared", instances.lifecycle().get("vm-1").spec().disks().get(1).storagePool());
    }

    @Test
    @DisplayName("add data disk: a failure after the cell added it removes the volume and restores the definition")
    void addDiskRollsBackAfterTheAddStep() throws Exception {
        open(Map.of("failStep", "instance.disk.record"), record("i-1", "vm-1", InstanceState.STOPPED, 2));
        cell.answer(CellProtocol.ADD_DISK, body -> new Ack(((DiskAdd) body).instanceId(), "offline"));
        cell.answer(CellProtocol.REMOVE_DISK, body -> new Ack(((DiskRemove) body).instanceId(), "offline"));

        TaskInfo done = await(instances.disks().addDisk("vm-1", 32L << 20, null, ADMIN));

        assertEquals(TaskState.FAILED, done.state(), done.toString());
        assertTrue(done.error().contains("injected"), done.error());
        assertTrue(done.steps().stream().noneMatch(s -> s.state().name().equals("UNDO_FAILED")), done.toString());
        assertEquals(List.of(CellProtocol.ADD_DISK, CellProtocol.REMOVE_DISK), cell.types());
        assertEquals(new DiskRemove("i-1", 2), cell.bodies(CellProtocol.REMOVE_DISK).get(0), "the disk it added");
        assertEquals(List.of(64L << 20, 128L << 20), diskSizes("i-1"), "the definition as before");
    }

    @Test
    @DisplayName("add data disk: the undo handlers a restart uses remove the disk and restore the definition")
    void addDiskUndoHandlersAfterACrash() throws Exception {
        open(Map.of(), record("i-1", "vm-1", InstanceState.STOPPED, 1));
        cell.answer(CellProtocol.ADD_DISK, body -> new Ack("i-1", "offline"));
        cell.answer(CellProtocol.REMOVE_DISK, body -> new Ack("i-1", "offline"));
        TaskInfo added = await(instances.disks().addDisk("vm-1", 32L << 20, null, ADMIN));
        assertEquals(TaskState.SUCCEEDED, added.state(), added.toString());
        assertEquals(List.of(64L << 20, 32L << 20), diskSizes("i-1"));

        // what a restart does with both steps journaled as applied: the handlers by kind, in reverse, from the data
        for (int j = added.steps().size() - 1; j >= 0; j--) {
            StepInfo step = added.steps().get(j);
            handler(step.kind()).undo(context(step.data()));
        }
        assertEquals(new DiskRemove("i-1", 1), cell.bodies(CellProtocol.REMOVE_DISK).get(0));
        assertEquals(List.of(64L << 20), diskSizes("i-1"));
        // a second rollback finds nothing left to take out of the definition
        handler("instance.disk.record").undo(context(added.steps().get(1).data()));
        assertEquals(List.of(64L << 20), diskSizes("i-1"));
    }

    @Test
    @DisplayName("add data disk: a crash before the cell answered, with no disk there, has nothing to undo")
    void addDiskUndoWhenTheCellNeverAdded() throws Exception {
        open(Map.of(), record("i-1", "vm-1", InstanceState.STOPPED, 1));
        cell.fail(CellProtocol.REMOVE_DISK, new SkiffException(SkiffException.Kind.INVALID, CellCalls.NO_SUCH_DISK,
                "instance i-1 has data disks 1 to 0 (disk 0 is the system disk and stays)", "disk"));
        handler("instance.disk.add").undo(context(Map.of("instance", "i-1", "cell", CELL, "disk", "1")));
        assertEquals(1, cell.bodies(CellProtocol.REMOVE_DISK).size(), "asked, and the cell had no such disk");
    }

    @Test
    @DisplayName("remove data disk: the cell's irreversible removal is the last step; its failure restores the disk")
    void removeDiskFailureRestoresTheDefinition() throws Exception {
        open(Map.of(), record("i-1", "vm-1", InstanceState.STOPPED, 3));
        cell.fail(CellProtocol.REMOVE_DISK, "detach timed out");
        cell.answer(CellProtocol.DISK_USAGE, body -> new DiskUsage("i-1", 2, 1, 1, 1)); // the cell still has 3

        TaskInfo done = await(instances.disks().removeDisk("vm-1", 1, ADMIN));

        assertEquals(TaskState.FAILED, done.state(), done.toString());
        assertEquals(List.of("record removal", "remove data disk 1"), done.steps().stream().map(StepInfo::name)
                .toList());
        assertEquals(List.of(64L << 20, 128L << 20, 192L << 20), diskSizes("i-1"), "disk 1 back at its place");

        cell.answer(CellProtocol.REMOVE_DISK, body -> new Ack("i-1", "offline"));
        TaskInfo ok = await(instances.disks().removeDisk("vm-1", 1, ADMIN));
        assertEquals(TaskState.SUCCEEDED, ok.state(), ok.toString());
        assertEquals(List.of(64L << 20, 192L << 20), diskSizes("i-1"));
    }

    @Test
    @DisplayName("remove data disk: after a crash, a cell that had finished the removal keeps the record without it")
    void removeDiskUndoAfterTheCellFinished() throws Exception {
        open(Map.of(), record("i-1", "vm-1", InstanceState.STOPPED, 2));
        cell.answer(CellProtocol.REMOVE_DISK, body -> new Ack("i-1", "offline"));
        TaskInfo removed = await(instances.disks().removeDisk("vm-1", 1, ADMIN));
        assertEquals(TaskState.SUCCEEDED, removed.state(), removed.toString());
        Map<String, String> data = removed.steps().get(0).data();

        // the cell has one disk left: asked for disk 1 it names disks 0 to 0
        cell.fail(CellProtocol.DISK_USAGE, new SkiffException(SkiffException.Kind.INVALID, CellCalls.NO_SUCH_DISK,
                "instance i-1 has disks 0 to 0", "disk"));
        handler("instance.disk.unrecord").undo(context(data));
        assertEquals(List.of(64L << 20), diskSizes("i-1"), "the volume is gone: the record stays without it");

        // the cell still has both: the disk goes back at its place
        cell.answer(CellProtocol.DISK_USAGE, body -> new DiskUsage("i-1", 1, 1, 1, 1));
        handler("instance.disk.unrecord").undo(context(data));
        assertEquals(List.of(64L << 20, 128L << 20), diskSizes("i-1"));
    }

    // ---- media drive ------------------------------------------------------------------------------------------

    private MediaCatalog mediaCatalog(String mediumName) {
        MediaCatalog catalog = new MediaCatalog(store, new InventoryLock(), engine, dir.resolve("media"),
                Clock.systemUTC());
        store.put(MediaCatalog.TYPE, "m-1", new MediaImage("m-1", mediumName, "admin", "admin", 2048, "00",
                Instant.parse("2026-01-01T00:00:00Z")));
        instances.providers().setMediaCatalog(catalog);
        return catalog;
    }

    @Test
    @DisplayName("insert medium: from the reservation on, deleting the medium is refused (409 media), "
            + "even while the cell still fetches it")
    void deleteDuringInsertIsRefused() throws Exception {
        open(Map.of(), record("i-1", "vm-1", InstanceState.STOPPED, 1));
        MediaCatalog catalog = mediaCatalog("md");
        CountDownLatch fetching = new CountDownLatch(1);
        CountDownLatch goOn = new CountDownLatch(1);
        cell.answerAsync(CellProtocol.CHANGE_MEDIA, body -> CompletableFuture.supplyAsync(() -> {
            fetching.countDown();
            try {
                goOn.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new Ack(((MediaChange) body).instanceId(), "offline");
        }));

        TaskInfo task = instances.media().insertMedia("vm-1", "md", ADMIN);
        assertTrue(fetching.await(30, TimeUnit.SECONDS), "the cell was asked to fetch the medium");
        SkiffException during = assertThrows(SkiffException.class, () -> catalog.delete("md", ADMIN));
        assertEquals("media", during.field());
        assertTrue(during.getMessage().contains("being inserted") && during.getMessage().contains("vm-1"),
                during.getMessage());
        goOn.countDown();

        TaskInfo done = await(task);
        assertEquals(TaskState.SUCCEEDED, done.state(), done.toString());
        assertEquals("m-1", instances.lifecycle().get("i-1").spec().media());
        SkiffException after = assertThrows(SkiffException.class, () -> catalog.delete("md", ADMIN));
        assertTrue(after.getMessage().contains("in the media drive of instances vm-1"), after.getMessage());
        assertEquals(1, catalog.list().size(), "the medium is still there");
    }

    @Test
    @DisplayName("insert medium: a failed insert gives its reservation back; the medium can be deleted")
    void failedInsertReleasesTheReservation() throws Exception {
        open(Map.of(), record("i-1", "vm-1", InstanceState.STOPPED, 1));
        MediaCatalog catalog = mediaCatalog("md");
        // the insert fails (the cell cannot fetch the ISO); the undo (the previous, empty drive) works
        cell.answerAsync(CellProtocol.CHANGE_MEDIA, body -> ((MediaChange) body).media() == null
                ? CompletableFuture.completedFuture(new Ack("i-1", "offline"))
                : CompletableFuture.failedFuture(new IllegalStateException("the cell cannot fetch it")));

        TaskInfo done = await(instances.media().insertMedia("vm-1", "md", ADMIN));

        assertEquals(TaskState.FAILED, done.state(), done.toString());
        assertTrue(done.steps().stream().noneMatch(s -> s.state().name().equals("UNDO_FAILED")), done.toString());
        assertEquals(null, instances.lifecycle().get("i-1").spec().media());
        catalog.delete("md", ADMIN);
        assertTrue(catalog.list().isEmpty());
    }

    // ---- batches ----------------------------------------------------------------------------------------------

    @Test
    @DisplayName("batch with parallelism 2: two items overlap, each has its own outcome, a failing one stops no other")
    void batchItemsRunTwoAtATime() throws Exception {
        open(Map.of("batchParallelism", 2),
                record("i-1", "vm-1", InstanceState.RUNNING, 1), record("i-2", "vm-2", InstanceState.RUNNING, 1),
                record("i-3", "vm-3", InstanceState.RUNNING, 1), record("i-4", "vm-4", InstanceState.RUNNING, 1));
        CountDownLatch bothIn = new CountDownLatch(2);
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        cell.answerAsync(CellProtocol.STOP, body -> CompletableFuture.supplyAsync(() -> {
            String id = ((InstanceAction) body).instanceId();
            most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                if (id.equals("i-1") || id.equals("i-2")) {
                    // the first two only answer once both are in: they must run at the same time
                    bothIn.countDown();
                    if (!bothIn.await(20, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("items 1 and 2 did not overlap");
                    }
                } else {
                    // kept on purpose: the fake cell takes a while to stop, so a third item started too early
                    // would be seen in flight beside it (the pause is what the parallelism check needs)
                    Thread.sleep(100);
                }
                if (id.equals("i-3")) {
                    throw new IllegalStateException("the guest of i-3 refuses to stop");
                }
                return new Ack(id, "stopped");
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            } finally {
                inFlight.decrementAndGet();
            }
        }));

        TaskInfo batch = instances.batches().stopBatch(List.of("vm-1", "vm-2", "vm-3", "vm-4"), true, ADMIN);
        TaskInfo done = await(batch);

        assertEquals(TaskState.SUCCEEDED, done.state(), done.toString());
        Map<String, String> outcomes = new HashMap<>();
        for (StepInfo s : done.steps()) {
            if (s.data().containsKey("item")) {
                outcomes.put(s.data().get("item"), s.data().get("outcome"));
                assertTrue(s.data().containsKey("task"), s.toString());
                assertEquals("i-" + s.data().get("item").substring(3), s.data().get("instance"));
            }
        }
        assertEquals(Map.of("vm-1", "SUCCEEDED", "vm-2", "SUCCEEDED", "vm-3", "FAILED", "vm-4", "SUCCEEDED"), outcomes);
        StepInfo third = done.steps().stream().filter(s -> "vm-3".equals(s.data().get("item"))).findFirst().get();
        assertTrue(third.data().get("error").contains("refuses to stop"), third.toString());
        StepInfo summary = done.steps().get(done.steps().size() - 1);
        assertEquals("3", summary.data().get("succeeded"));
        assertEquals("1", summary.data().get("failed"));
        assertEquals(2, most.get(), "never more than the parallelism");
        assertEquals(InstanceState.STOPPED, instances.lifecycle().get("vm-1").state());
        assertEquals(InstanceState.STOPPED, instances.lifecycle().get("vm-4").state());
        assertEquals(100, done.progress());
    }

    @Test
    @DisplayName("batch with parallelism 1: items run one after the other")
    void batchParallelismOne() throws Exception {
        open(Map.of("batchParallelism", 1),
                record("i-1", "vm-1", InstanceState.RUNNING, 1), record("i-2", "vm-2", InstanceState.RUNNING, 1),
                record("i-3", "vm-3", InstanceState.RUNNING, 1));
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        cell.answerAsync(CellProtocol.STOP, body -> CompletableFuture.supplyAsync(() -> {
            most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                // kept on purpose: each stop takes a while, so two items run at once would overlap and be counted
                // (the pause is what the parallelism check needs, not a wait for anything)
                Thread.sleep(150);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inFlight.decrementAndGet();
            return new Ack(((InstanceAction) body).instanceId(), "stopped");
        }));
        TaskInfo done = await(instances.batches().stopBatch(List.of("vm-1", "vm-2", "vm-3"), true, ADMIN));
        assertEquals(TaskState.SUCCEEDED, done.state(), done.toString());
        assertEquals(1, most.get());
        assertEquals("3", done.steps().get(done.steps().size() - 1).data().get("succeeded"));
    }

    // ---- defaults of a create --------------------------------------------------------------------------------

    @Test
    @DisplayName("the defaults of a create come from the settings and follow a settings update without re-activation")
    void defaultsFollowTheSettings() throws Exception {
        open(Map.of());
        assertEquals(new InstanceDefaults(1, 512L << 20, "linux-virtio"), instances.lifecycle().defaults());
        instances.update(config(SchedulerConfig.class, Map.of("defaultCores", 2, "defaultMemoryMib", 1024L)),
                FaultInjection.NONE);
        assertEquals(new InstanceDefaults(2, 1024L << 20, "linux-virtio"), instances.lifecycle().defaults());
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private io.skiff.api.task.UndoHandler handler(String kind) {
        return instances.undoHandlers().stream().filter(h -> h.kind().equals(kind)).findFirst()
                .orElseThrow(() -> new AssertionError("no undo handler for " + kind));
    }

    private static io.skiff.api.task.StepContext context(Map<String, String> data) {
        Map<String, String> copy = new HashMap<>(data);
        return new io.skiff.api.task.StepContext() {
            @Override
            public String taskId() {
                return "restart";
            }

            @Override
            public Map<String, String> data() {
                return copy;
            }

            @Override
            public void record(String key, String value) {
                copy.put(key, value);
            }

            @Override
            public void progress(int percent, String message) {
            }
        };
    }

    @SuppressWarnings("unchecked")
    static <A extends Annotation> A config(Class<A> type, Map<String, Object> values) {
        return (A) java.lang.reflect.Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> switch (method.getName()) {
                    case "annotationType" -> type;
                    case "toString" -> "@" + type.getSimpleName() + values;
                    case "hashCode" -> values.hashCode();
                    case "equals" -> proxy == args[0];
                    default -> values.getOrDefault(method.getName(), method.getDefaultValue());
                });
    }

    /** No cell reports in: every instance's state is its record's. */
    static class NoCells implements CellService {
        @Override
        public List<Cell> list() {
            return List.of();
        }

        /** One of {@link #list()}, as the registry answers. */
        @Override
        public Cell get(String id) {
            return list().stream().filter(c -> c.id().equals(id)).findFirst()
                    .orElseThrow(() -> SkiffException.notFound("cell", "cell", id));
        }

        @Override
        public Cell addToPool(String cellId, String poolName) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Cell removeFromPool(String cellId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Cell enable(String cellId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Cell disable(String cellId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void forget(String cellId) {
            throw new UnsupportedOperationException();
        }
    }
}
