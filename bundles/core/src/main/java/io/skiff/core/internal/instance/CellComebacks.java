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
 *
 * <p>A lost cell of a failover pool that is back ({@link #returned}, from the {@link FailoverController}) may have
 * fenced its failover instances while it was cut off, even when it came back before the Core moved them (it fences
 * after {@code isolationSeconds}, the Core moves them a margin later) or when they could not move (no room). For
 * {@value #RETURN_WINDOW_SECONDS} s after that, its reports start every instance of a failover pool that its record
 * places on it as {@code RUNNING}, that no task works on and that the report shows shut off, whatever its restart
 * policy: the Core would have started it elsewhere, so it starts it where it is.
 */
final class CellComebacks {
    private static final Logger LOG = LoggerFactory.getLogger(CellComebacks.class);
    /** The action of the operation log entry. */
    static final String STARTED = "instance started after its cell came back";
    /** How long after a lost cell is back its reports are searched for fenced instances. */
    static final int RETURN_WINDOW_SECONDS = 20;

    private final InstanceRecords records;
    private final InstanceLifecycle lifecycle;
    private final Supplier<OperationLog> log;
    private final Clock clock;
    private final Duration absence;
    private final Predicate<String> online;
    private final Predicate<InstanceRecord> failsOver;
    private final Map<String, Instant> lastReport = new ConcurrentHashMap<>();
    /** Per cell back from a loss: until when its reports are searched for fenced instances. */
    private final Map<String, Instant> returning = new ConcurrentHashMap<>();

    /**
     * @param online whether a cell is online in the Core's registry: a report that comes before that is not counted
     *     (the instances' observed states, which a start checks, count only for online cells)
     * @param failsOver whether an instance is of a failover pool (its cell fences it when cut off)
     */
    CellComebacks(InstanceRecords records, InstanceLifecycle lifecycle, Supplier<OperationLog> log, Clock clock,
                  Duration absence, Predicate<String> online, Predicate<InstanceRecord> failsOver) {
        this.online = online;
        this.failsOver = failsOver;
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
        boolean comeback = before == null || Duration.between(before, now).compareTo(absence) >= 0;
        Instant until = returning.get(report.node());
        boolean fenced = until != null && now.isBefore(until);
        if (until != null && !fenced) {
            returning.remove(report.node(), until);
        }
        if (!comeback && !fenced) {
            return;
        }
        for (CellInstanceState s : report.instances()) {
            if (!"SHUT_OFF".equals(s.domainState()) && !"CRASHED".equals(s.domainState())) {
                continue;
            }
            records.find(s.instanceId()).filter(r -> report.node().equals(r.cellId())
                    && r.state() == InstanceState.RUNNING && r.taskId() == null).ifPresent(r -> {
                        if (fenced && failsOver.test(r)) {
                            start(r, report.node(), "was lost and is back with it shut off (fenced)");
                        } else if (comeback && wantsToRun(r.spec())) {
                            start(r, report.node(), "came back with it shut off");
                        }
                    });
        }
    }

    /** A lost cell of a failover pool is online again: its next reports are searched for fenced instances. */
    void returned(String cell) {
        returning.put(cell, clock.instant().plusSeconds(RETURN_WINDOW_SECONDS));
    }

    static boolean wantsToRun(InstanceSpec spec) {
        return spec.autoStart() || !InstanceSpec.RESTART_NEVER.equals(spec.restartPolicyOrNever());
    }

    private void start(InstanceRecord r, String node, String why) {
        try {
            TaskInfo task = lifecycle.start(r, node, "system");
            LOG.info("instance {} ({}): cell {} {}; started (task {})", r.spec().name(), r.id(), node, why,
                    task.id());
            OperationLog operations = log.get();
            if (operations != null) {
                operations.record(new OperationRecord(clock.instant(), "system", "core", "core", STARTED,
                        "instances/" + r.spec().name(), OperationRecord.SUCCESS, 0, task.id(),
                        "cell " + node + " " + why + "; the record says running (autoStart "
                                + r.spec().autoStart() + ", restart policy " + r.spec().restartPolicyOrNever() + ")"));
            }
        } catch (SkiffException e) {
            LOG.warn("instance {} ({}): not started after cell {} came back: {}", r.spec().name(), r.id(), node,
                    e.getMessage());
        }
    }
}
