package io.skiff.core.internal.instance;

import io.skiff.api.cell.CellInstanceState;
import io.skiff.api.cell.CellInstancesReport;
import io.skiff.api.model.InstanceSpec;
import io.skiff.api.model.InstanceState;
import io.skiff.api.model.OperationRecord;
import io.skiff.api.model.TaskInfo;
import io.skiff.api.service.OperationLog;
import io.skiff.api.service.SkiffException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Starts again what should run when a cell comes back (its host rebooted, its Karaf or libvirtd restarted, or the
 * Core's own node restarted): at a cell's first report as an online cell since the Core started, or after it was
 * silent for {@code absence}, every instance of that cell whose record says {@code RUNNING}, that no task works on, that asks for
 * it ({@code autoStart}, or a restart policy other than {@code never}) and whose domain the report shows shut off is
 * started by the Core (an ordinary start task, user {@code system}), and the operation log says why. A guest that
 * stopped while its cell watched has its record set to {@code STOPPED} by then ({@link CellRestartAudit}), so only
 * what stopped unseen comes back. An instance with {@code autoStart} usually runs already (libvirt's autostart at the
 * host's boot) and is left alone. An instance whose record names another cell (failed over or moved while this cell
 * was away) is never started here: its copy is stale ({@link StaleCopies} removes it), and the start task itself
 * checks the record's cell again when it runs.
 */
final class CellComebacks {
    private static final Logger LOG = LoggerFactory.getLogger(CellComebacks.class);
    /** The action of the operation log entry. */
    static final String STARTED = "instance started after its cell came back";

    private final InstanceRecords records;
    private final InstanceLifecycle lifecycle;
    private final Supplier<OperationLog> log;
    private final Clock clock;
    private final Duration absence;
    private final Predicate<String> online;
    private final Map<String, Instant> lastReport = new ConcurrentHashMap<>();

    /**
     * @param online whether a cell is online in the Core's registry: a report that comes before that is not counted
     *     (the instances' observed states, which a start checks, count only for online cells)
     */
    CellComebacks(InstanceRecords records, InstanceLifecycle lifecycle, Supplier<OperationLog> log, Clock clock,
                  Duration absence, Predicate<String> online) {
        this.online = online;
        this.records = records;
        this.lifecycle = lifecycle;
        this.log = log;
        this.clock = clock;
        this.absence = absence;
    }

    void onReport(CellInstancesReport report) {
        if (!online.test(report.node())) {
            return;
        }
        Instant now = clock.instant();
        Instant before = lastReport.put(report.node(), now);
        if (before != null && Duration.between(before, now).compareTo(absence) < 0) {
            return;
        }
        for (CellInstanceState s : report.instances()) {
            if (!"SHUT_OFF".equals(s.domainState()) && !"CRASHED".equals(s.domainState())) {
                continue;
            }
            records.find(s.instanceId()).filter(r -> report.node().equals(r.cellId())
                    && r.state() == InstanceState.RUNNING && r.taskId() == null && wantsToRun(r.spec()))
                    .ifPresent(r -> start(r, report.node()));
        }
    }

    static boolean wantsToRun(InstanceSpec spec) {
        return spec.autoStart() || !InstanceSpec.RESTART_NEVER.equals(spec.restartPolicyOrNever());
    }

    private void start(InstanceRecord r, String node) {
        try {
            TaskInfo task = lifecycle.start(r, node, "system");
            LOG.info("instance {} ({}): cell {} came back with it shut off; started (task {})", r.spec().name(),
                    r.id(), node, task.id());
            OperationLog operations = log.get();
            if (operations != null) {
                operations.record(new OperationRecord(clock.instant(), "system", "core", "core", STARTED,
                        "instances/" + r.spec().name(), OperationRecord.SUCCESS, 0, task.id(),
                        "cell " + node + " came back with it shut off; the record says running (autoStart "
                                + r.spec().autoStart() + ", restart policy " + r.spec().restartPolicyOrNever() + ")"));
            }
        } catch (SkiffException e) {
            LOG.warn("instance {} ({}): not started after cell {} came back: {}", r.spec().name(), r.id(), node,
                    e.getMessage());
        }
    }
}
