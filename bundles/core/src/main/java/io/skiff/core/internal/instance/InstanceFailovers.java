package io.skiff.core.internal.instance;

import io.skiff.api.cell.InstanceAction;
import io.skiff.api.cell.MigrationSource;
import io.skiff.api.model.Cell;
import io.skiff.api.model.CellStatus;
import io.skiff.api.model.InstanceState;
import io.skiff.api.model.OperationRecord;
import io.skiff.api.model.TaskInfo;
import io.skiff.api.service.CellService;
import io.skiff.api.service.OperationLog;
import io.skiff.api.service.SkiffException;
import io.skiff.api.task.TaskStep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Starts one instance of a lost cell on another cell of its failover pool, as task {@value #TASK}: the placement
 * policy picks an ONLINE, enabled cell with room; that cell prepares the instance from the record and what the lost
 * cell described earlier ({@link FailoverSources}: the same volumes on the shared pool, the same MAC; its DHCP lease
 * for the same address goes with the cell's file), takes ownership (defines the domain), and the record switches to
 * it; an instance that should run is started there. The steps are the migration's prepare and switch kinds and the
 * create's start kind, so a failure or a crash of the Core undoes it all (the target releases its copy, keeping the
 * shared volumes; the record names the lost cell again). An instance that cannot move (no room, never described)
 * stays, and its record's error says why. Each failover is written to the operation log with the instance as target.
 */
final class InstanceFailovers implements FailoverController.Mover {
    static final String TASK = "instance.failover";
    private static final Logger LOG = LoggerFactory.getLogger(InstanceFailovers.class);

    private final InstanceRecords records;
    private final InstanceTasks tasks;
    private final InstanceSettings settings;
    private final InstanceProviders providers;
    private final CellService cells;
    private final InstanceSteps steps;
    private final FailoverSources sources;

    InstanceFailovers(InstanceRecords records, InstanceTasks tasks, InstanceSettings settings,
                      InstanceProviders providers, CellService cells, InstanceSteps steps, FailoverSources sources) {
        this.records = records;
        this.tasks = tasks;
        this.settings = settings;
        this.providers = providers;
        this.cells = cells;
        this.steps = steps;
        this.sources = sources;
    }

    /** Asks an online cell once what it holds of an instance of a failover pool (again when its disks changed). */
    @Override
    public void describe(InstanceRecord r) {
        if (sources.current(r.id(), r.spec().disks().size())) {
            return;
        }
        try {
            MigrationSource s = settings.calls().migrations(r.cellId()).describe(InstanceAction.of(r.id()));
            if (s.shared()) {
                sources.remember(s);
            }
        } catch (SkiffException e) {
            LOG.debug("instance {}: cell {} did not describe it: {}", r.id(), r.cellId(), e.getMessage());
        }
    }

    @Override
    public void failover(InstanceRecord r, Cell lost) {
        queue(r, lost);
    }

    /** @return the queued task, or empty when the instance stays (its record's error says why) */
    Optional<TaskInfo> queue(InstanceRecord r, Cell lost) {
        Optional<MigrationSource> known = sources.find(r.id()).filter(s -> s.shared());
        if (known.isEmpty()) {
            return stays(r, "its cell " + lost.id() + " is lost and never described its disks and MAC; it waits for"
                    + " the cell");
        }
        Cell target;
        try {
            target = choose(r, lost);
        } catch (SkiffException e) {
            return stays(r, "its cell " + lost.id() + " is lost and no other cell of pool " + r.spec().poolId()
                    + " can take it: " + e.getMessage());
        }
        boolean running = r.state() == InstanceState.RUNNING;
        String id = r.id();
        MigrationPlanHolder plan = new MigrationPlanHolder();
        List<TaskStep> list = new ArrayList<>();
        list.add(tasks.mark(id, InstanceState.MIGRATING));
        list.add(steps.prepareTarget().step(id, lost.id(), target.id(), known.get(), plan));
        list.add(steps.switchCell().step(id, lost.id(), target.id(), false, plan));
        if (running) {
            list.add(steps.startDomain().step(id, r.spec()));
        }
        String what = "failover of instance " + r.spec().name() + " from lost cell " + lost.id() + " (lost at "
                + lost.lostAt() + ") to cell " + target.id() + (running ? ", started" : ", stopped");
        list.add(tasks.noUndo().step("record the failover", ctx -> audit(r.spec().name(), ctx.taskId(), what)));
        list.add(tasks.done(id, running ? InstanceState.RUNNING : InstanceState.STOPPED));
        LOG.warn("instance {} ({}): {}", r.spec().name(), id, what);
        return Optional.of(tasks.submit(TASK, r, "system", list));
    }

    private Optional<TaskInfo> stays(InstanceRecord r, String why) {
        if (!why.equals(r.lastError())) {
            LOG.warn("instance {} ({}) stays: {}", r.spec().name(), r.id(), why);
            records.saveState(r, r.state(), why, r.taskId());
        }
        return Optional.empty();
    }

    private Cell choose(InstanceRecord r, Cell lost) {
        List<Cell> others = cells.list().stream()
                .filter(c -> !c.id().equals(lost.id()) && c.status() == CellStatus.ONLINE && c.enabled()).toList();
        return settings.scheduler().place(InstanceMigrations.anyCell(r.spec()), others, records::usedOnCell,
                providers.policy(settings.config().placementPolicy()));
    }

    private void audit(String name, String taskId, String what) {
        OperationLog log = providers.operationLogOrNull();
        if (log != null) {
            log.record(new OperationRecord(records.clock().instant(), "system", "core", "core", "instance failover",
                    "instances/" + name, OperationRecord.SUCCESS, 0, taskId, what));
        }
    }
}
