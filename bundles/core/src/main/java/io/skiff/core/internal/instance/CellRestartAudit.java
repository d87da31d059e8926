package io.skiff.core.internal.instance;

import io.skiff.api.cell.CellProtocol;
import io.skiff.api.cell.InstanceRestart;
import io.skiff.api.model.InstanceState;
import io.skiff.api.model.OperationRecord;
import io.skiff.api.service.OperationLog;
import io.skiff.api.transport.ClusterTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * Writes what the cells did under the instances' restart policies ({@value CellProtocol#INSTANCE_RESTART}) into the
 * operation log, as user {@code cell <node>}, source {@code cell}, resource {@code instances/<name>}: a restart, a
 * start that failed, the limit reached (the instance stays stopped), or a guest that stopped by itself and stays so.
 * Only the instance's own cell speaks for it. The record follows ({@link #follow}); the observed state comes with the
 * cell's next report, which it sends at once.
 */
final class CellRestartAudit {
    private static final Logger LOG = LoggerFactory.getLogger(CellRestartAudit.class);
    /** The action of a restart's operation log entry. */
    static final String RESTARTED = "instance restarted by its cell";
    /** The action of a failed restart's entry. */
    static final String RESTART_FAILED = "instance restart failed";
    /** The action of the entry that says the cell gave up. */
    static final String GAVE_UP = "instance not restarted (restart limit)";
    /** The action of the entry that says the guest stopped by itself and its policy does not restart it. */
    static final String STOPPED = "instance stopped by itself";

    private final InstanceRecords records;
    private final Supplier<OperationLog> log;

    CellRestartAudit(InstanceRecords records, Supplier<OperationLog> log) {
        this.records = records;
        this.log = log;
    }

    /** @return the subscription; closing it stops listening */
    ClusterTransport.Registration listen(ClusterTransport transport) {
        return transport.subscribe(CellProtocol.INSTANCE_RESTART, m -> {
            onRestart(m.body(InstanceRestart.class));
            return null;
        });
    }

    void onRestart(InstanceRestart event) {
        Optional<InstanceRecord> record = records.find(event.instanceId())
                .filter(r -> event.node().equals(r.cellId()));
        if (record.isEmpty()) {
            LOG.debug("restart of instance {} by cell {} ignored: not its cell", event.instanceId(), event.node());
            return;
        }
        if (InstanceRestart.STOPPED.equals(event.outcome()) && record.get().taskId() != null) {
            // a task works on it (a move's paused copy forced off, say): Skiff's own doing, not the guest's
            LOG.debug("stop of instance {} on cell {} ignored: task {} works on it", event.instanceId(), event.node(),
                    record.get().taskId());
            return;
        }
        String name = record.get().spec().name();
        String action = switch (event.outcome()) {
            case InstanceRestart.RESTARTED -> RESTARTED;
            case InstanceRestart.GAVE_UP -> GAVE_UP;
            case InstanceRestart.STOPPED -> STOPPED;
            default -> RESTART_FAILED;
        };
        String detail = InstanceRestart.STOPPED.equals(event.outcome()) ? event.cause() + "; " + event.detail()
                : event.cause() + "; restart " + event.attempt() + " after " + event.delayMillis() + " ms"
                + (event.detail() == null ? "" : ": " + event.detail());
        follow(record.get(), event, detail);
        LOG.info("instance {} ({}): {} on cell {}: {}", name, event.instanceId(), action, event.node(), detail);
        OperationLog operations = log.get();
        if (operations != null) {
            operations.record(new OperationRecord(event.time(), "cell " + event.node(), event.node(), "cell", action,
                    "instances/" + name, InstanceRestart.RESTARTED.equals(event.outcome())
                    || InstanceRestart.STOPPED.equals(event.outcome()) ? OperationRecord.SUCCESS
                    : OperationRecord.FAILED, 0, null, detail));
        }
    }

    /**
     * The record follows (when no task works on the instance): running again after a restart; stopped when the guest
     * stopped by itself and stays so, or the cell gave up (with why as its last error). A cell that comes back then
     * does not start it again ({@link CellComebacks}).
     */
    private void follow(InstanceRecord r, InstanceRestart event, String detail) {
        if (r.taskId() != null) {
            return;
        }
        switch (event.outcome()) {
            case InstanceRestart.RESTARTED -> {
                if (r.state() == InstanceState.STOPPED) {
                    records.setState(r.id(), InstanceState.RUNNING, null);
                }
            }
            case InstanceRestart.STOPPED -> {
                if (r.state() == InstanceState.RUNNING) {
                    records.setState(r.id(), InstanceState.STOPPED, null);
                }
            }
            case InstanceRestart.GAVE_UP -> records.setState(r.id(), InstanceState.STOPPED, "not restarted: " + detail);
            default -> {
                // a failed start is tried again after the back-off
            }
        }
    }
}
