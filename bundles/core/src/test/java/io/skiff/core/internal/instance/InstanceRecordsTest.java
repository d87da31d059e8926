package io.skiff.core.internal.instance;

import io.skiff.api.model.DiskSpec;
import io.skiff.api.model.InstanceSpec;
import io.skiff.api.model.InstanceState;
import io.skiff.api.model.ResourceUsage;
import io.skiff.api.service.SkiffException;
import io.skiff.core.internal.json.Json;
import io.skiff.core.internal.state.JournalStateStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The instance records: journaled before they are visible, removed together with a tombstone, found by id or name. */
class InstanceRecordsTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;

    private static InstanceRecord record(String id, String name, InstanceState state) {
        return new InstanceRecord(id, new InstanceSpec(name, "pool", null, 1, 64L << 20,
                List.of(new DiskSpec(1L << 30, null, null)), "linux-virtio", null, false), "cell-1", "admin", "admin",
                state, null, "t-1", T, T);
    }

    private JournalStateStore open() throws Exception {
        return new JournalStateStore(dir, Json.newObjectMapper(), 10_000);
    }

    @Test
    void whatIsSavedSurvivesARestartAndWhatIsRemovedLeavesATombstone() throws Exception {
        List<String> removed = new ArrayList<>();
        try (JournalStateStore store = open()) {
            InstanceRecords records = new InstanceRecords(store, Clock.systemUTC());
            records.onRemoved(removed::add);
            records.save(record("i-1", "web-1", InstanceState.RUNNING));
            records.save(record("i-2", "web-2", InstanceState.RUNNING));
            records.setState("i-2", InstanceState.STOPPED, null);
            records.remove("i-1");
            assertEquals(List.of("i-1"), removed);
        }
        try (JournalStateStore store = open()) {
            InstanceRecords records = new InstanceRecords(store, Clock.systemUTC());
            assertFalse(records.has("i-1"));
            assertTrue(records.tombstones().contains("i-1"), "the removal is known after a restart");
            assertEquals(InstanceState.STOPPED, records.require("web-2").state());
            assertEquals(null, records.require("i-2").taskId(), "no task works on a settled instance");
        }
    }

    /**
     * Labels are part of the record: journaled, read back after a restart in their order, kept by a state change, a
     * move to another cell (what a migration or a failover records) and the spec a migration places by.
     */
    @Test
    void labelsSurviveARestartAMoveAndAStateChange() throws Exception {
        java.util.Map<String, String> labels = java.util.Map.of("tier", "web", "example.com/team", "core");
        try (JournalStateStore store = open()) {
            InstanceRecords records = new InstanceRecords(store, Clock.systemUTC());
            InstanceRecord r = record("i-1", "web-1", InstanceState.RUNNING);
            records.save(new InstanceRecord(r.id(), r.spec().withLabels(labels), r.cellId(), r.owner(), r.group(),
                    r.state(), r.lastError(), r.taskId(), r.createdAt(), r.updatedAt()));
            records.moveTo("i-1", "cell-2");
            records.setState("i-1", InstanceState.STOPPED, null);
        }
        try (JournalStateStore store = open()) {
            InstanceRecords records = new InstanceRecords(store, Clock.systemUTC());
            InstanceRecord back = records.require("web-1");
            assertEquals("cell-2", back.cellId());
            assertEquals(labels, back.spec().labels());
            assertEquals(List.of("example.com/team", "tier"), List.copyOf(back.spec().labels().keySet()));
            assertEquals(labels, InstanceMigrations.anyCell(back.spec()).labels(), "the spec a migration places by");
        }
    }

    @Test
    void anInstanceIsFoundByIdOrNameAndSettledOnlyOutsideCreateAndDelete() throws Exception {
        try (JournalStateStore store = open()) {
            InstanceRecords records = new InstanceRecords(store, Clock.systemUTC());
            records.save(record("i-1", "web-1", InstanceState.CREATING));
            records.save(record("i-2", "web-2", InstanceState.STOPPED));
            assertEquals("i-1", records.require("web-1").id());
            assertEquals("i-1", records.require("i-1").id());
            assertTrue(records.nameTaken("web-2"));
            assertEquals("instance", assertThrows(SkiffException.class, () -> records.require("")).field());
            assertEquals(SkiffException.Kind.NOT_FOUND, assertThrows(SkiffException.class,
                    () -> records.require("web-3")).kind());
            SkiffException busy = assertThrows(SkiffException.class, () -> records.settled("web-1"));
            assertEquals("instance 'web-1' is creating; wait for task t-1", busy.getMessage());
            assertEquals("i-2", records.settled("web-2").id());
        }
    }

    @Test
    void aNameIsFreeAgainOnceItsInstanceIsRenamedOrRemoved() throws Exception {
        try (JournalStateStore store = open()) {
            InstanceRecords records = new InstanceRecords(store, Clock.systemUTC());
            InstanceRecord web = record("i-1", "web-1", InstanceState.RUNNING);
            records.save(web);
            records.save(record("i-2", "db-1", InstanceState.RUNNING));
            InstanceSpec renamed = new InstanceSpec("web-one", "pool", null, 1, 64L << 20,
                    List.of(new DiskSpec(1L << 30, null, null)), "linux-virtio", null, false);
            records.saveSpec(web, renamed);
            assertFalse(records.nameTaken("web-1"));
            assertEquals("i-1", records.require("web-one").id());
            records.remove("i-2");
            assertFalse(records.nameTaken("db-1"));
            assertTrue(records.lookup("db-1").isEmpty());
        }
        try (JournalStateStore store = open()) {
            InstanceRecords records = new InstanceRecords(store, Clock.systemUTC());
            assertEquals("i-1", records.require("web-one").id(), "the names are known again after a restart");
            assertFalse(records.nameTaken("web-1"));
        }
    }

    @Test
    void theRecordsOfACellOwnerOrGroupFollowMovesAndRemovals() throws Exception {
        try (JournalStateStore store = open()) {
            InstanceRecords records = new InstanceRecords(store, Clock.systemUTC());
            records.save(record("i-1", "web-1", InstanceState.RUNNING));
            records.save(record("i-2", "web-2", InstanceState.RUNNING));
            records.moveTo("i-2", "cell-2");
            assertEquals(List.of("i-1"), records.onCell("cell-1").stream().map(InstanceRecord::id).toList());
            assertEquals(List.of("i-2"), records.onCell("cell-2").stream().map(InstanceRecord::id).toList());
            assertEquals(2, records.usedBy("admin").instances());
            assertEquals(2, records.usedByGroup("admin").instances());
            records.remove("i-2");
            assertEquals(List.of(), records.onCell("cell-2"));
            assertEquals(List.of(), records.onCell(null), "no cell: no instances");
            assertEquals(1, records.usedBy("admin").instances());
            assertEquals(ResourceUsage.NONE, records.usedBy("nobody"));
        }
        try (JournalStateStore store = open()) {
            InstanceRecords records = new InstanceRecords(store, Clock.systemUTC());
            assertEquals(1, records.onCell("cell-1").size(), "grouped again when loaded");
        }
    }

    /** The orders and groups hold the records themselves: a save that keeps every position still shows its version. */
    @Test
    void walksAndGroupsGiveTheLastSavedVersion() throws Exception {
        try (JournalStateStore store = open()) {
            InstanceRecords records = new InstanceRecords(store, Clock.systemUTC());
            records.save(record("i-1", "web-1", InstanceState.CREATING));
            records.save(record("i-2", "web-2", InstanceState.RUNNING));
            records.setState("i-1", InstanceState.STOPPED, null);
            for (String sort : List.of("name", "-createdAt", "id")) {
                List<InstanceRecord> walked = new ArrayList<>();
                records.walk(io.skiff.api.service.InstanceService.ORDER.order(sort), null)
                        .forEachRemaining(walked::add);
                assertEquals(InstanceState.STOPPED, walked.stream().filter(r -> r.id().equals("i-1")).findFirst()
                        .orElseThrow().state(), sort);
                assertEquals(2, walked.size(), sort);
            }
            assertEquals(InstanceState.STOPPED, records.onCell("cell-1").stream().filter(r -> r.id().equals("i-1"))
                    .findFirst().orElseThrow().state());
            assertEquals(InstanceState.STOPPED, records.lookup("web-1").orElseThrow().state());
            assertEquals(List.of("web-1", "web-2"), records.byName().stream().map(r -> r.spec().name()).toList());
        }
    }

    /** What a cell, an owner and a group use is kept as records change, and is what their records add up to. */
    @Test
    void usageFollowsSavesMovesResizesAndRemovals() throws Exception {
        try (JournalStateStore store = open()) {
            InstanceRecords records = new InstanceRecords(store, Clock.systemUTC());
            records.save(record("i-1", "web-1", InstanceState.RUNNING));
            records.save(record("i-2", "web-2", InstanceState.RUNNING));
            assertEquals(new ResourceUsage(2, 2, 128L << 20, 2L << 30), records.usedOnCell("cell-1"));
            records.setState("i-1", InstanceState.STOPPED, null);
            assertEquals(new ResourceUsage(2, 2, 128L << 20, 2L << 30), records.usedOnCell("cell-1"), "state only");
            InstanceRecord r1 = records.find("i-1").orElseThrow();
            records.saveSpec(r1, r1.spec().withShape("web-1", 4, 1L << 30));
            assertEquals(new ResourceUsage(2, 5, (1L << 30) + (64L << 20), 2L << 30), records.usedOnCell("cell-1"));
            records.moveTo("i-2", "cell-2");
            assertEquals(new ResourceUsage(1, 4, 1L << 30, 1L << 30), records.usedOnCell("cell-1"));
            assertEquals(new ResourceUsage(1, 1, 64L << 20, 1L << 30), records.usedOnCell("cell-2"));
            assertEquals(new ResourceUsage(2, 5, (1L << 30) + (64L << 20), 2L << 30), records.usedBy("admin"));
            assertEquals(records.usedBy("admin"), records.usedByGroup("admin"));
            records.remove("i-1");
            assertEquals(ResourceUsage.NONE, records.usedOnCell("cell-1"));
            assertEquals(ResourceUsage.NONE, records.usedBy("nobody"));
            assertEquals(ResourceUsage.NONE, records.usedOnCell(null));
            for (String cell : List.of("cell-1", "cell-2")) {
                assertEquals(InstanceQuotas.sum(records.onCell(cell)), records.usedOnCell(cell), cell);
            }
        }
        try (JournalStateStore store = open()) {
            InstanceRecords records = new InstanceRecords(store, Clock.systemUTC());
            assertEquals(new ResourceUsage(1, 1, 64L << 20, 1L << 30), records.usedOnCell("cell-2"), "summed when loaded");
        }
    }
}
