package io.skiff.core.internal.instance;

import io.skiff.api.cell.CopyRelease;
import io.skiff.api.cell.InstanceAction;
import io.skiff.api.model.Cell;
import io.skiff.api.model.CellStatus;
import io.skiff.api.model.InstanceSpec;
import io.skiff.api.model.InstanceState;
import io.skiff.api.model.OperationRecord;
import io.skiff.api.model.TaskInfo;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.CellService;
import io.skiff.api.service.InstanceMigrationService;
import io.skiff.api.service.OperationLog;
import io.skiff.api.service.SkiffException;
import io.skiff.api.task.StepContext;
import io.skiff.api.task.TaskStep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Moves instances between the cells of their compute pool: one at a time ({@code instance.migrate}: prepare the
 * target, migrate live or move cold (a stopped instance's domain is migrated paused when its disks are copied or it
 * has snapshots, whose metadata moves with it; else only its definition moves), switch the record, release the
 * source's copy), or all of a cell's
 * ({@code cell.evacuate}: the cell is disabled first, then one migration task per instance). The checks run before
 * anything is queued, so bad input changes nothing; a migration that fails later is undone by its task.
 */
final class InstanceMigrations implements InstanceMigrationService {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceMigrations.class);

    private final InstanceRecords records;
    private final InstanceAccess access;
    private final CellReports reports;
    private final InstanceTasks tasks;
    private final InstanceSettings settings;
    private final InstanceProviders providers;
    private final CellService cells;
    private final InstanceSteps steps;
    private final InstanceBatches batches;

    InstanceMigrations(InstanceRecords records, InstanceAccess access, CellReports reports, InstanceTasks tasks,
                       InstanceSettings settings, InstanceProviders providers, CellService cells, InstanceSteps steps,
                       InstanceBatches batches) {
        this.records = records;
        this.access = access;
        this.reports = reports;
        this.tasks = tasks;
        this.settings = settings;
        this.providers = providers;
        this.cells = cells;
        this.steps = steps;
        this.batches = batches;
    }

    @Override
    public TaskInfo migrate(String idOrName, String cellId, AuthenticatedUser caller) {
        InstanceRecord r = access.settled(idOrName, caller);
        InstanceState state = reports.state(r);
        if (r.taskId() != null || (state != InstanceState.RUNNING && state != InstanceState.STOPPED)) {
            throw SkiffException.conflict("instance", "instance '" + r.spec().name() + "' is "
                    + state.name().toLowerCase() + (r.taskId() != null ? "; wait for task " + r.taskId() : ""));
        }
        Cell target = cellId == null || cellId.isBlank() ? choose(r) : check(r, cellId.strip());
        boolean live = state == InstanceState.RUNNING;
        int snapshots = settings.calls().snapshots(r.cellId()).list(InstanceAction.of(r.id())).snapshots().size();
        boolean shared = (!live || snapshots > 0)
                && settings.calls().migrations(r.cellId()).describe(InstanceAction.of(r.id())).shared();
        if (snapshots > 0 && !shared) {
            throw SkiffException.conflict("instance", "instance '" + r.spec().name() + "' has " + snapshots
                    + " snapshot(s) and its disks are on the local storage of cell " + r.cellId() + ": a move with"
                    + " storage copy would lose the " + snapshots + " snapshot(s) kept inside the disks; delete them"
                    + " or use shared storage");
        }
        // a stopped instance on shared storage without snapshots: only its definition moves (the switch)
        boolean migrates = live || !shared || snapshots > 0;
        String source = r.cellId();
        String id = r.id();
        MigrationPlanHolder plan = new MigrationPlanHolder();
        // only a move through the hypervisor sends a stream (memory, disks) to encrypt; a definition-only one does not
        plan.tls = migrates && MigrationTlsPolicy.of(settings.config().migrationTls()).use(cells.get(source), target);
        List<TaskStep> list = new ArrayList<>();
        list.add(tasks.mark(id, InstanceState.MIGRATING));
        list.add(steps.prepareTarget().step(id, source, target.id(), live, plan));
        if (migrates) {
            list.add(steps.moveInstance().step(id, source, target.id(), live, plan));
        }
        list.add(steps.switchCell().step(id, source, target.id(), live, plan));
        String moved = (live ? "live migration" : "cold move") + " of instance " + r.spec().name() + " from cell "
                + source + " to cell " + target.id() + (migrates ? plan.tls ? " over TLS" : " without TLS" : "");
        list.add(tasks.noUndo().step("release cell " + source, ctx -> {
            release(id, source, plan, ctx);
            audit(r.spec().name(), caller.name(), ctx.taskId(), moved);
        }));
        list.add(tasks.done(id, live ? InstanceState.RUNNING : InstanceState.STOPPED));
        LOG.info("instance {} ({}): {} migration from cell {} to cell {}{} requested by {}", r.spec().name(), id,
                live ? "live" : "cold", source, target.id(), plan.tls ? " over TLS" : "", caller.name());
        return tasks.submit("instance.migrate", r, caller.name(), list);
    }

    /**
     * The source's copy goes once the instance lives on the target; a source that cannot do it now does not undo
     * the move (the instance runs on the target): the copy is reported and left for a later clean-up.
     */
    private void release(String id, String source, MigrationPlanHolder plan, StepContext ctx) {
        try {
            settings.calls().migrations(source).release(new CopyRelease(id, plan.source.shared()));
            ctx.progress(100, "cell " + source + " released its copy");
        } catch (SkiffException e) {
            LOG.warn("instance {}: cell {} did not release its copy: {}", id, source, e.getMessage());
            StepData.put(ctx, "leftOn", source);
            ctx.progress(100, "cell " + source + " did not release its copy: " + e.getMessage());
        }
    }

    /** The operation log says how the instance moved (the request's own entry is written when it is queued). */
    private void audit(String name, String user, String taskId, String what) {
        OperationLog log = providers.operationLogOrNull();
        if (log != null) {
            log.record(new OperationRecord(records.clock().instant(), user, "core", "core", "instance migrated",
                    "instances/" + name, OperationRecord.SUCCESS, 0, taskId, what));
        }
    }

    private Cell check(InstanceRecord r, String cellId) {
        Cell target;
        try {
            target = cells.get(cellId);
        } catch (SkiffException e) {
            throw SkiffException.invalid("cell", "no cell '" + cellId + "'");
        }
        if (target.id().equals(r.cellId())) {
            throw SkiffException.conflict("cell", "instance '" + r.spec().name() + "' is on cell " + cellId
                    + " already");
        }
        if (!r.spec().poolId().equals(target.poolId())) {
            throw SkiffException.conflict("cell", "cell " + cellId + " is not in compute pool '" + r.spec().poolId()
                    + "' of instance '" + r.spec().name() + "'");
        }
        if (target.status() != CellStatus.ONLINE) {
            throw SkiffException.conflict("cell", "cell " + cellId + " is " + target.status().name().toLowerCase());
        }
        if (!target.enabled()) {
            throw SkiffException.conflict("cell", "cell " + cellId + " is disabled");
        }
        if (target.resources() == null || !settings.scheduler().fits(r.spec(), target, records.usedOnCell(cellId))) {
            throw SkiffException.conflict("cell", "cell " + cellId + " has no room for " + r.spec().cores()
                    + " cores and " + (r.spec().memoryBytes() >> 20) + " MiB");
        }
        return target;
    }

    private Cell choose(InstanceRecord r) {
        List<Cell> others = cells.list().stream().filter(c -> !c.id().equals(r.cellId())).toList();
        try {
            return settings.scheduler().place(anyCell(r.spec()), others, records::usedOnCell,
                    providers.policy(settings.config().placementPolicy()));
        } catch (SkiffException e) {
            throw SkiffException.conflict("cell", "no other cell to move instance '" + r.spec().name() + "' to: "
                    + e.getMessage());
        }
    }

    /** The spec as the placement reads it, with no cell asked for. */
    static InstanceSpec anyCell(InstanceSpec s) {
        return new InstanceSpec(s.name(), s.poolId(), null, s.cores(), s.memoryBytes(), s.disks(), s.profile(),
                s.addressPoolId(), s.autoStart(), s.address(), s.guestInit(), s.qos(), s.media(), s.bootFrom(),
                s.restartPolicy(), s.labels());
    }

    @Override
    public TaskInfo evacuate(String cellId, AuthenticatedUser caller) {
        Cell cell = cells.get(cellId);
        if (cell.enabled()) {
            cells.disable(cell.id());
        }
        List<String> names = records.onCell(cell.id()).stream()
                .sorted(Comparator.comparing(r -> r.spec().name())).map(r -> r.spec().name()).toList();
        LOG.info("cell {} disabled; evacuating {} instance(s), requested by {}", cell.id(), names.size(),
                caller.name());
        return batches.each("cell.evacuate", "migrate", names, caller.name(), name -> migrate(name, null, caller));
    }
}
