package io.skiff.core.internal.instance;

import io.skiff.api.model.DiskSpec;
import io.skiff.api.model.InstanceState;
import io.skiff.api.task.StepContext;
import io.skiff.api.task.TaskStep;
import io.skiff.api.task.UndoHandler;
import io.skiff.core.internal.ComputePoolServiceImpl;
import io.skiff.core.internal.InventoryLock;
import io.skiff.core.internal.image.ImageCatalog;
import io.skiff.core.internal.json.Json;
import io.skiff.core.internal.state.JournalStateStore;
import io.skiff.core.internal.task.JournaledTaskEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each step kind declared once: its typed data goes into the step's map and comes back the same, under the keys the
 * journals of running tasks already hold; one object per kind is both the steps' undo and the registered handler.
 */
class StepKindsTest {

    @TempDir
    Path dir;

    /** A step's context: its data map, and every record call in order. */
    static final class Recording implements StepContext {
        final Map<String, String> data = new LinkedHashMap<>();
        final List<String> records = new ArrayList<>();

        Recording() {
        }

        Recording(Map<String, String> initial) {
            data.putAll(initial);
        }

        @Override
        public String taskId() {
            return "t-1";
        }

        @Override
        public Map<String, String> data() {
            return data;
        }

        @Override
        public void record(String key, String value) {
            records.add(key);
            data.put(key, value);
        }

        @Override
        public void progress(int percent, String message) {
        }
    }

    @Test
    void targetRoundTripsUnderItsKeys() {
        Recording ctx = new Recording();
        new StepTarget("i-1", "cell-1").writeTo(ctx);
        assertEquals(Map.of("instance", "i-1", "cell", "cell-1"), ctx.data);
        assertEquals(new StepTarget("i-1", "cell-1"), StepTarget.read(ctx.data));
        assertEquals(new StepTarget(null, null), StepTarget.read(Map.of()), "nothing recorded yet");
    }

    @Test
    void onlyWhatChangedIsRecordedAgain() {
        Recording ctx = new Recording();
        new AddDiskStep.Data(new StepTarget("i-1", "cell-1"), 2, false).writeTo(ctx);
        new AddDiskStep.Data(new StepTarget("i-1", "cell-1"), 2, true).writeTo(ctx);
        assertEquals(List.of("instance", "cell", "disk", "added"), ctx.records, "each key journaled once");
        assertEquals(Map.of("instance", "i-1", "cell", "cell-1", "disk", "2", "added", "true"), ctx.data);
    }

    @Test
    void everyKindsDataRoundTrips() {
        StepTarget target = new StepTarget("i-1", "cell-1");
        {
            var d = new AddressHold("i-1", "pool-a", "10.0.0.5");
            assertRoundTrip(d, d::writeTo, AddressHold::read,
                    Map.of("instance", "i-1", "addressPool", "pool-a", "address", "10.0.0.5"));
        }
        {
            var d = new RebindAddressStep.Data("i-1", "pool-a", "10.0.0.4");
            assertRoundTrip(d, d::writeTo, RebindAddressStep.Data::read,
                    Map.of("instance", "i-1", "addressPool", "pool-a", "previous", "10.0.0.4"));
        }
        {
            var d = new MarkStateStep.Data("i-1", InstanceState.STOPPED);
            assertRoundTrip(d, d::writeTo, MarkStateStep.Data::read,
                    Map.of("instance", "i-1", "previous", "STOPPED"));
        }
        {
            var d = new CaptureImageStep.Data(target, "img-1");
            assertRoundTrip(d, d::writeTo, CaptureImageStep.Data::read,
                    Map.of("instance", "i-1", "cell", "cell-1", "image", "img-1"));
        }
        {
            var d = new ReserveMediumStep.Data(target, "m-1");
            assertRoundTrip(d, d::writeTo, ReserveMediumStep.Data::read,
                    Map.of("instance", "i-1", "cell", "cell-1", "reservedMedia", "m-1"));
        }
        {
            var d = new ChangeMediaStep.Data(target, "", "live");
            assertRoundTrip(d, d::writeTo, ChangeMediaStep.Data::read,
                    Map.of("instance", "i-1", "cell", "cell-1", "previousMedia", "", "drive", "live"));
        }
        {
            var d = new AddDiskStep.Data(target, 1, true);
            assertRoundTrip(d, d::writeTo, AddDiskStep.Data::read,
                    Map.of("instance", "i-1", "cell", "cell-1", "disk", "1", "added", "true"));
        }
        {
            var d = new RecordDiskStep.Data("i-1", 1);
            assertRoundTrip(d, d::writeTo, RecordDiskStep.Data::read,
                    Map.of("instance", "i-1", "disk", "1"));
        }
        {
            var d = new RecordDiskRemovalStep.Data("i-1", 1, 2, new DiskSpec(64L << 20, "fast", "img-1", "full"));
            assertRoundTrip(d, d::writeTo,
                    RecordDiskRemovalStep.Data::read, Map.of("instance", "i-1", "disk", "1", "disks", "2",
                            "sizeBytes", Long.toString(64L << 20), "storagePool", "fast", "imageId", "img-1",
                            "cloneMode", "full"));
        }
        {
            var d = new RecordDiskRemovalStep.Data("i-1", 1, 1, new DiskSpec(1L << 20, null, null, null));
            assertRoundTrip(d, d::writeTo,
                    RecordDiskRemovalStep.Data::read, Map.of("instance", "i-1", "disk", "1", "disks", "1",
                            "sizeBytes", Long.toString(1L << 20)));
        }
        {
            var d = new InstanceDisks.Compacted("8654848", "266240");
            assertRoundTrip(d, d::writeTo, InstanceDisks.Compacted::read,
                    Map.of("bytesBefore", "8654848", "bytesAfter", "266240"));
        }
        {
            var d = new MigrationData("i-1", "cell-1", "cell-2", true, false, true);
            assertRoundTrip(d, d::writeTo, MigrationData::read, Map.of("instance", "i-1", "source", "cell-1",
                    "target", "cell-2", "shared", "true", "live", "false", "tls", "true"));
        }
        {
            var d = new InstanceBatches.Item("vm-1", "t-2", "i-1", "FAILED", "refused");
            assertRoundTrip(d, d::writeTo,
                    InstanceBatches.Item::read, Map.of("item", "vm-1", "task", "t-2", "instance", "i-1",
                            "outcome", "FAILED", "error", "refused"));
        }
    }

    private static <D> void assertRoundTrip(D data, java.util.function.Consumer<StepContext> write,
                                            java.util.function.Function<Map<String, String>, D> read,
                                            Map<String, String> journaled) {
        Recording ctx = new Recording();
        write.accept(ctx);
        assertEquals(journaled, ctx.data, "the keys journals hold");
        assertEquals(data, read.apply(ctx.data));
        assertEquals(data, read.apply(new HashMap<>(journaled)), "read back from a journal");
    }

    @Test
    void oneHandlerPerKindAndTheKindsJournalsKnow() throws Exception {
        try (JournalStateStore store = new JournalStateStore(dir.resolve("state"), Json.newObjectMapper(), 10_000);
             JournaledTaskEngine engine = new JournaledTaskEngine(store, 1, Clock.systemUTC())) {
            InventoryLock lock = new InventoryLock();
            InstanceCapabilities instances = new InstanceCapabilities(store, engine, null,
                    new ComputePoolServiceImpl(store, lock), new ImageCatalog(store, lock, engine,
                    dir.resolve("images"), Clock.systemUTC()), new FakeCellTransport("cell-1"),
                    InstanceCellProtocolTest.config(SchedulerConfig.class, Map.of()));
            List<UndoHandler> handlers = instances.undoHandlers();
            Set<String> kinds = handlers.stream().map(UndoHandler::kind).collect(Collectors.toSet());
            assertEquals(handlers.size(), kinds.size(), "one handler per kind");
            assertEquals(Set.of("instance.reserve", "address.allocate", "address.release", "address.rebind",
                    "cell.disks", "cell.define", "cell.start", "instance.state", "image.capture", "media.reserve",
                    "media.change", "instance.disk.add", "instance.disk.record", "instance.disk.unrecord", "noop",
                    "migrate.prepare", "migrate.move", "migrate.switch"),
                    kinds, "the kinds of the steps journaled before the split, and the migration's");
            instances.close();
        }
    }

    @Test
    void aStepsUndoIsItsKinds() throws Exception {
        List<String> undone = new ArrayList<>();
        StepKind<StepTarget> kind = new StepKind<>("test.kind") {
            @Override
            StepTarget read(Map<String, String> data) {
                return StepTarget.read(data);
            }

            @Override
            void undo(StepTarget data) {
                undone.add(data.instance());
            }
        };
        TaskStep step = kind.step("take", ctx -> new StepTarget("i-1", "cell-1").writeTo(ctx));
        assertEquals("test.kind", step.kind());
        Recording live = new Recording();
        step.apply(live);
        step.undo(live);
        // after a restart only the journaled data is left, and the kind's handler undoes it the same way
        kind.undo(new Recording(live.data));
        assertEquals(List.of("i-1", "i-1"), undone);
        assertSame(kind, (UndoHandler) kind);
        assertTrue(kind.toString().contains("test.kind"));
    }
}
