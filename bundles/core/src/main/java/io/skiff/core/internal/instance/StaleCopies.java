package io.skiff.core.internal.instance;

import io.skiff.api.cell.CellInstanceState;
import io.skiff.api.cell.CellInstancesReport;
import io.skiff.api.cell.CopyRelease;
import io.skiff.api.cell.InstanceAction;
import io.skiff.api.model.OperationRecord;
import io.skiff.api.model.TaskInfo;
import io.skiff.api.service.OperationLog;
import io.skiff.api.task.TaskEngine;
import io.skiff.api.task.TaskRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Stale copies: a cell that reports an instance of a failover pool (a file or a domain of it) whose record names
 * another cell (it was failed over while
 * the cell was lost) has that copy removed — its domain forced off (never resumed), then undefined with the cell's
 * files for it, keeping volumes on shared storage, which the owner uses — through a task of its own
 * ({@value #TASK}, on the instance's resource key, so never during a migration that still needs the copy). A holder
 * must be seen for {@code grace} first. The record stays the single owner. Each removal goes to the operation log
 * with the instance as its target.
 */
final class StaleCopies {
    static final String TASK = "instance.stale-copy";
    private static final Logger LOG = LoggerFactory.getLogger(StaleCopies.class);

    private final TaskEngine engine;
    private final Supplier<CellCalls> calls;
    private final InstanceRecords records;
    private final NoUndoStep noUndo;
    private final Supplier<OperationLog> log;
    private final Predicate<InstanceRecord> failoverPool;
    private final Clock clock;
    /** By cell and instance: when first seen holding a copy it does not own. */
    private final ReportedCandidates candidates;

    /**
     * @param log the operation log, or a supplier of {@code null} without one
     * @param failoverPool whether an instance is in a failover pool: only those are looked at, since the cells of
     *     other pools may share one hypervisor (and so report each other's domains)
     */
    StaleCopies(TaskEngine engine, Supplier<CellCalls> calls, InstanceRecords records, NoUndoStep noUndo,
                Supplier<OperationLog> log, Predicate<InstanceRecord> failoverPool, Clock clock, Duration grace) {
        this.failoverPool = failoverPool;
        this.engine = engine;
        this.calls = calls;
        this.records = records;
        this.noUndo = noUndo;
        this.log = log;
        this.clock = clock;
        this.candidates = new ReportedCandidates(grace);
    }

    void onReport(CellInstancesReport report) {
        String cell = report.node();
        Set<String> stale = new HashSet<>();
        if (report.instances() != null) {
            for (CellInstanceState s : report.instances()) {
                records.find(s.instanceId()).filter(r -> r.cellId() != null && !cell.equals(r.cellId())
                        && failoverPool.test(r)).ifPresent(r -> stale.add(r.id()));
            }
        }
        for (String id : candidates.due(cell, stale, clock.instant(), () -> OrphanSweeper.busyInstances(engine))) {
            submit(cell, records.find(id).orElseThrow());
        }
    }

    private void submit(String cell, InstanceRecord r) {
        String id = r.id();
        String what = "removed the stale copy of instance " + r.spec().name() + " from cell " + cell + " (the record"
                + " names cell " + r.cellId() + "): domain forced off and undefined, files released"
                + (r.sharedStorage() ? ", shared volumes kept" : "");
        TaskInfo task = engine.submit(new TaskRequest(TASK, Set.of("instance:" + id), "system", List.of(
                noUndo.step("force off on cell " + cell,
                        ctx -> calls.get().domains(cell).stop(new InstanceAction(id, 0, true))),
                noUndo.step("release cell " + cell, ctx -> {
                    calls.get().migrations(cell).release(new CopyRelease(id, r.sharedStorage()));
                    LOG.warn("instance {} ({}): {}", r.spec().name(), id, what);
                    OperationLog operations = log.get();
                    if (operations != null) {
                        operations.record(new OperationRecord(clock.instant(), "system", "core", "core",
                                "stale copy removed", "instances/" + r.spec().name(), OperationRecord.SUCCESS, 0,
                                ctx.taskId(), what));
                    }
                }))));
        LOG.warn("cell {} holds a stale copy of instance {} ({}), which lives on cell {}: removal queued as task {}",
                cell, r.spec().name(), id, r.cellId(), task.id());
    }
}
