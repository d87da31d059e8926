package io.skiff.core.internal.instance;

import io.skiff.api.cell.ConsoleLogRequest;
import io.skiff.api.cell.InstanceAction;
import io.skiff.api.model.Cell;
import io.skiff.api.model.InstanceDefaults;
import io.skiff.api.model.InstanceFilter;
import io.skiff.api.model.InstanceSpec;
import io.skiff.api.model.InstanceState;
import io.skiff.api.model.InstanceStatus;
import io.skiff.api.model.Page;
import io.skiff.api.model.PageRequest;
import io.skiff.api.model.ResourceUsage;
import io.skiff.api.model.TaskInfo;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.CellService;
import io.skiff.api.service.InstanceService;
import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.ConsoleEndpoint;
import io.skiff.core.internal.Names;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The instance life cycle and what can be read about an instance: list and get (as the cells report them), create
 * (see {@link InstanceCreation}), start, stop, restart, delete, a stopped instance's shape, and its consoles. Power
 * actions mark the instance while their task runs; a delete gives back, in this order, the domain, the volumes, the
 * address and the record.
 */
final class InstanceLifecycle implements InstanceService {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceLifecycle.class);

    private final InstanceRecords records;
    private final InstanceAccess access;
    private final CellReports reports;
    private final InstanceCreation creation;
    private final InstanceTasks tasks;
    private final InstanceSettings settings;
    private final CellSpecs specs;
    private final CellService cells;
    private final ReleaseAddressStep releaseAddress;
    private final InstancePages pages;

    InstanceLifecycle(InstanceRecords records, InstanceAccess access, CellReports reports, InstanceCreation creation,
                      InstanceTasks tasks, InstanceSettings settings, CellSpecs specs, CellService cells,
                      InstanceSteps steps) {
        this.records = records;
        this.access = access;
        this.reports = reports;
        this.creation = creation;
        this.tasks = tasks;
        this.settings = settings;
        this.specs = specs;
        this.cells = cells;
        this.releaseAddress = steps.releaseAddress();
        this.pages = new InstancePages(records, reports, access);
    }

    @Override
    public List<InstanceStatus> list() {
        return reports.statuses();
    }

    @Override
    public List<InstanceStatus> list(AuthenticatedUser caller) {
        return page(InstanceFilter.ALL, PageRequest.whole("name", false), caller).items();
    }

    @Override
    public Map<InstanceFilter, Long> counts() {
        CellReports.Now now = reports.now();
        Map<InstanceFilter, Long> counts = new HashMap<>();
        for (InstanceRecord r : records.all()) {
            counts.merge(new InstanceFilter(now.state(r), r.spec().poolId(), r.cellId(), null, null), 1L, Long::sum);
        }
        return counts;
    }

    @Override
    public Page<InstanceStatus> page(InstanceFilter filter, PageRequest request, AuthenticatedUser caller) {
        return pages.page(filter, request, caller);
    }

    @Override
    public InstanceStatus get(String idOrName) {
        return reports.status(records.require(idOrName));
    }

    @Override
    public InstanceStatus get(String idOrName, AuthenticatedUser caller) {
        return reports.status(access.require(idOrName, caller));
    }

    @Override
    public String consoleLog(String idOrName, int maxBytes, AuthenticatedUser caller) {
        InstanceRecord r = access.require(idOrName, caller);
        if (maxBytes <= 0 || maxBytes > 16 << 20) {
            throw SkiffException.invalid("maxBytes", "maxBytes must be between 1 and 16 MiB");
        }
        return settings.calls().domains(r.cellId()).consoleLog(new ConsoleLogRequest(r.id(), maxBytes)).text();
    }

    @Override
    public ConsoleEndpoint consoleEndpoint(String idOrName) {
        InstanceRecord r = records.require(idOrName);
        if (reports.state(r) != InstanceState.RUNNING) {
            throw SkiffException.conflict("instance", "instance '" + r.spec().name() + "' is not running ("
                    + reports.state(r).name().toLowerCase() + "); start it to open its console");
        }
        return settings.calls().domains(r.cellId()).console(InstanceAction.of(r.id()));
    }

    @Override
    public TaskInfo create(InstanceSpec spec, AuthenticatedUser caller) {
        return creation.create(spec, caller);
    }

    @Override
    public InstanceDefaults defaults() {
        return settings.defaults();
    }

    @Override
    public TaskInfo start(String idOrName, AuthenticatedUser caller) {
        return start(access.settled(idOrName, caller), caller.name());
    }

    private TaskInfo start(InstanceRecord r, String user) {
        return start(r, null, user);
    }

    /**
     * Starts an instance as {@code user} on the cell {@code onCell}, with no caller to check (the Core's own start:
     * {@link CellComebacks}). The start fails, changing nothing, when by the time it runs the record names another
     * cell (a failover or a move came first): the copy on {@code onCell} is stale and must never run.
     *
     * @param onCell the cell it must start on, or {@code null} for the one the record names when the task runs
     */
    TaskInfo start(InstanceRecord r, String onCell, String user) {
        if (reports.state(r) == InstanceState.RUNNING) {
            throw SkiffException.conflict("instance", "instance '" + r.spec().name() + "' is already running");
        }
        return tasks.submit("instance.start", r, user, List.of(tasks.mark(r.id(), InstanceState.STARTING),
                tasks.cellAction("start domain", r.id(), (calls, cell) -> {
                    if (onCell != null && !onCell.equals(cell)) {
                        throw SkiffException.conflict("instance", "instance '" + r.spec().name() + "' lives on cell "
                                + cell + " now, not on cell " + onCell + ": not started there");
                    }
                    return calls.domains(cell).start(InstanceAction.of(r.id()));
                }),
                tasks.done(r.id(), InstanceState.RUNNING)));
    }

    @Override
    public TaskInfo stop(String idOrName, boolean force, AuthenticatedUser caller) {
        InstanceRecord r = access.settled(idOrName, caller);
        if (reports.state(r) == InstanceState.STOPPED) {
            throw SkiffException.conflict("instance", "instance '" + r.spec().name() + "' is already stopped");
        }
        return tasks.submit("instance.stop", r, caller.name(), List.of(tasks.mark(r.id(), InstanceState.STOPPING),
                tasks.cellAction(force ? "force off" : "shut down", r.id(), (calls, cell) -> calls.domains(cell).stop(new InstanceAction(r.id(), settings.config().stopTimeoutSeconds(), force))),
                tasks.done(r.id(), InstanceState.STOPPED)));
    }

    @Override
    public TaskInfo restart(String idOrName, AuthenticatedUser caller) {
        InstanceRecord r = access.settled(idOrName, caller);
        return tasks.submit("instance.restart", r, caller.name(), List.of(tasks.mark(r.id(), InstanceState.STOPPING),
                tasks.cellAction("shut down", r.id(), (calls, cell) -> calls.domains(cell).stop(new InstanceAction(r.id(), settings.config().stopTimeoutSeconds(), false))),
                tasks.cellAction("start domain", r.id(), (calls, cell) -> calls.domains(cell).start(InstanceAction.of(r.id()))),
                tasks.done(r.id(), InstanceState.RUNNING)));
    }

    @Override
    public TaskInfo delete(String idOrName, boolean force, AuthenticatedUser caller) {
        InstanceRecord r = access.settled(idOrName, caller);
        if (!force && reports.state(r) == InstanceState.RUNNING) {
            throw SkiffException.conflict("force", "instance '" + r.spec().name()
                    + "' is running; stop it first or delete with force");
        }
        return tasks.submit("instance.delete", r, caller.name(), List.of(tasks.mark(r.id(), InstanceState.DELETING),
                tasks.cellAction("force off", r.id(), (calls, cell) -> calls.domains(cell).stop(new InstanceAction(r.id(), 0, true))),
                tasks.cellAction("remove domain", r.id(), (calls, cell) -> calls.domains(cell).undefine(InstanceAction.of(r.id()))),
                tasks.cellAction("delete volumes", r.id(), (calls, cell) -> calls.volumes(cell).deleteDisks(InstanceAction.of(r.id()))),
                releaseAddress.step(r.id()),
                tasks.noUndo().step("forget instance", ctx -> records.remove(r.id()))));
    }

    @Override
    public InstanceStatus modify(String idOrName, String name, Integer cores, Long memoryBytes,
                                 AuthenticatedUser caller) {
        return modify(idOrName, name, cores, memoryBytes, null, caller);
    }

    /**
     * The shape only of a stopped instance; the restart policy alone also of a running one (the cell's file and the
     * domain's definition take it at once). Every value is checked before anything changes.
     */
    @Override
    public InstanceStatus modify(String idOrName, String name, Integer cores, Long memoryBytes, String restartPolicy,
                                 AuthenticatedUser caller) {
        access.require(idOrName, caller); // an instance the caller may not see is not found, whatever it asks
        String policy = restartPolicy == null ? null : InstanceRequests.restartPolicy(restartPolicy);
        // nothing named at all is a shape change that changes nothing (409 while running, as ever)
        boolean shape = policy == null || name != null || cores != null || memoryBytes != null;
        return settings.scheduler().locked(() -> {
            InstanceRecord r = access.settled(idOrName, caller);
            InstanceSpec s = r.spec();
            InstanceSpec updated = policy == null ? s : s.withRestartPolicy(policy);
            if (shape) {
                if (reports.state(r) != InstanceState.STOPPED) {
                    throw SkiffException.conflict("instance", "instance '" + s.name()
                            + "' must be stopped to change it");
                }
                String newName = name == null ? s.name() : Names.require("name", name);
                if (!newName.equals(s.name()) && records.nameTaken(newName)) {
                    throw SkiffException.conflict("name", "instance '" + newName + "' already exists");
                }
                int newCores = cores == null ? s.cores() : cores;
                long newMemory = memoryBytes == null ? s.memoryBytes() : memoryBytes;
                InstanceRequests.shape(newCores, newMemory);
                updated = updated.withShape(newName, newCores, newMemory);
                Cell cell = cells.get(r.cellId());
                // what the cell's other instances use: its sum without this one's old shape
                ResourceUsage others = records.usedOnCell(r.cellId()).minus(InstanceQuotas.usage(s));
                if (cell.resources() != null && !settings.scheduler().fits(updated, cell, others)) {
                    throw SkiffException.conflict("cores", "cell " + r.cellId() + " has no room for " + newCores
                            + " cores and " + (newMemory >> 20) + " MiB under its over-commit ratios");
                }
            }
            if (!shape && updated.equals(s)) {
                return reports.status(r);
            }
            settings.calls().domains(r.cellId()).define(specs.of(r.id(), updated));
            InstanceRecord changed = records.saveSpec(r, updated);
            LOG.info("instance {} ({}) changed: {} cores, {} MiB, restart policy {}", updated.name(), r.id(),
                    updated.cores(), updated.memoryBytes() >> 20, updated.restartPolicyOrNever());
            return reports.status(changed);
        });
    }

    /** Labels are the Core's alone: the record changes, no cell is asked, running or stopped. */
    @Override
    public InstanceStatus setLabels(String idOrName, Map<String, String> labels, AuthenticatedUser caller) {
        access.require(idOrName, caller); // an instance the caller may not see is not found, whatever it asks
        Map<String, String> checked = InstanceRequests.labels(labels);
        return settings.scheduler().locked(() -> {
            InstanceRecord r = access.settled(idOrName, caller);
            if (checked.equals(r.spec().labels())) {
                return reports.status(r);
            }
            InstanceRecord changed = records.saveSpec(r, r.spec().withLabels(checked));
            LOG.info("instance {} ({}) labels: {}", r.spec().name(), r.id(), checked);
            return reports.status(changed);
        });
    }
}
