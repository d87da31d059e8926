package io.skiff.core.internal.instance;

import io.skiff.api.cell.Ack;
import io.skiff.api.cell.CellInstancesReport;
import io.skiff.api.cell.InstanceAction;
import io.skiff.api.model.AddressBinding;
import io.skiff.api.model.AddressPool;
import io.skiff.api.model.TaskInfo;
import io.skiff.api.spi.AddressPoolProvider;
import io.skiff.api.task.TaskEngine;
import io.skiff.api.task.TaskRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The safety net behind the task engine's rollback: removes from the cells what belonged to an instance this Core has
 * removed (a tombstoned id, no record), once no unfinished task can still own it, and releases such an instance's
 * address binding. Cells only report what they hold ({@link CellInstancesReport#held()}); this Core decides, never a
 * cell alone. A candidate must be held for {@code grace} (several reports) before it is removed, through a task of its
 * own ({@value #TASK}, on the instance's resource key) whose steps are idempotent; every removal is logged.
 */
final class OrphanSweeper {
    static final String TASK = "instance.orphan-cleanup";
    private static final Logger LOG = LoggerFactory.getLogger(OrphanSweeper.class);
    /** Its steps are idempotent removals: nothing to undo, a failed clean-up is simply tried again later. */
    private static final NoUndoStep NO_UNDO = new NoUndoStep();

    private final TaskEngine engine;
    private final Supplier<CellCalls> calls;
    private final Predicate<String> hasRecord;
    private final InstanceTombstones tombstones;
    private final Clock clock;
    private final Consumer<String> audit;
    /** Held without an owner, by cell: when first seen. */
    private final ReportedCandidates candidates;
    private final Set<String> foreignWarned = ConcurrentHashMap.newKeySet();

    /**
     * @param audit told, in words, of each removal (the operation log)
     */
    OrphanSweeper(TaskEngine engine, Supplier<CellCalls> calls, Predicate<String> hasRecord,
                  InstanceTombstones tombstones, Clock clock, Duration grace, Consumer<String> audit) {
        this.engine = engine;
        this.calls = calls;
        this.hasRecord = hasRecord;
        this.tombstones = tombstones;
        this.clock = clock;
        this.candidates = new ReportedCandidates(grace);
        this.audit = audit;
    }

    /** Looks at what a cell holds; queues the removal of what has been an orphan for the grace period. */
    void onReport(CellInstancesReport report) {
        String cell = report.node();
        Set<String> orphans = new HashSet<>();
        if (report.held() != null) {
            for (String id : report.held()) {
                if (hasRecord.test(id)) {
                    continue;
                }
                if (tombstones.contains(id)) {
                    orphans.add(id);
                } else if (foreignWarned.add(cell + "/" + id)) {
                    LOG.warn("cell {} holds instance {}, which this Core never had; left untouched", cell, id);
                }
            }
        }
        for (String id : candidates.due(cell, orphans, clock.instant(), this::busyInstances)) {
            submitCleanup(cell, id);
        }
    }

    /** Releases the address bindings of removed instances that no unfinished task owns. */
    void releaseOrphanAddresses(AddressPoolProvider pools) {
        if (pools == null) {
            return;
        }
        Set<String> busy = null;
        for (AddressPool pool : pools.list()) {
            for (AddressBinding b : pools.bindings(pool.id())) {
                if (b.holder() == null || hasRecord.test(b.holder()) || !tombstones.contains(b.holder())) {
                    continue;
                }
                if (busy == null) {
                    busy = busyInstances();
                }
                if (!busy.contains(b.holder())) {
                    pools.release(pool.id(), b.holder());
                    String what = "released address " + b.address() + " of address pool " + pool.id()
                            + ", still bound to removed instance " + b.holder();
                    LOG.warn("orphan clean-up: {}", what);
                    audit.accept(what);
                }
            }
        }
    }

    private Set<String> busyInstances() {
        return busyInstances(engine);
    }

    /** @return the instances an unfinished task works on (by its resource keys) */
    static Set<String> busyInstances(TaskEngine engine) {
        Set<String> busy = new HashSet<>();
        for (TaskInfo t : engine.list()) {
            if (t.state() != null && !t.state().finished() && t.resources() != null) {
                for (String key : t.resources()) {
                    if (key.startsWith("instance:")) {
                        busy.add(key.substring("instance:".length()));
                    }
                }
            }
        }
        return busy;
    }

    private void submitCleanup(String cell, String id) {
        TaskInfo task = engine.submit(new TaskRequest(TASK, Set.of("instance:" + id), "system", List.of(
                NO_UNDO.step("remove domain", ctx -> calls.get().domains(cell).undefine(InstanceAction.of(id))),
                NO_UNDO.step("remove volumes and files", ctx -> {
                    calls.get().volumes(cell).deleteDisks(InstanceAction.of(id));
                    String what = "removed domain, volumes and files of instance " + id + " from cell " + cell
                            + " (no record, no task owns them)";
                    LOG.warn("orphan clean-up: {}", what);
                    audit.accept(what);
                }))));
        LOG.warn("cell {} still holds removed instance {}: clean-up queued as task {}", cell, id, task.id());
    }
}
