package io.skiff.core.internal.instance;

import io.skiff.api.model.Cell;
import io.skiff.api.model.CellStatus;
import io.skiff.api.model.InstanceState;
import io.skiff.api.service.CellService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Decides when a lost cell's instances of failover pools are started elsewhere; called every second ({@link #tick}).
 * A cell is lost when the Core marked it offline (it left the cluster view or fell silent). The lost cell fences
 * itself once it has not heard from the Core for {@code isolationSeconds}, counted from the Core's last heartbeat it
 * had, which is no later than the loss: so the Core waits {@code isolationSeconds + failoverMarginSeconds} from the
 * later of "last heard" and "noticed", then, if the cell is still lost, has {@link InstanceFailovers} queue one task
 * per instance. A cell that comes back before that cancels its pending failovers; a lost cell that comes back at any
 * time is handed to {@code returned} (it may have fenced instances that did not move, which must run again). An
 * instance that could not move is tried again every {@value #RETRY_SECONDS} s while its cell stays lost, and at the
 * next round when a lost cell is back (it may be the room that was missing). While cells are online, {@link #learn}
 * has them describe their instances of failover pools ({@link InstanceFailovers#describe}), which a failover needs.
 */
public final class FailoverController {
    static final int RETRY_SECONDS = 15;

    /** What the controller has done for an instance ({@link InstanceFailovers} in production). */
    interface Mover {
        /** Has the instance's online cell describe what it holds of it, when not known yet. */
        void describe(InstanceRecord r);

        /** Queues the failover of an instance of a lost cell, or records why it stays. */
        void failover(InstanceRecord r, Cell lost);
    }

    private static final Logger LOG = LoggerFactory.getLogger(FailoverController.class);

    private final CellService cells;
    private final InstanceRecords records;
    private final FailoverPolicy policy;
    private final Mover failovers;
    private final Clock clock;
    private final Consumer<String> returned;
    /** Per lost cell: when its instances may be started elsewhere. */
    private final Map<String, Instant> due = new HashMap<>();
    /** Per instance: when it may be tried again. */
    private final Map<String, Instant> retryAt = new HashMap<>();

    /**
     * @param returned told the id of a lost cell of a failover pool that is online again (once per loss), whether its
     *     instances' failover was due or not: it may have fenced some that still belong to it
     */
    FailoverController(CellService cells, InstanceRecords records, FailoverPolicy policy, Mover failovers,
                       Clock clock, Consumer<String> returned) {
        this.returned = returned;
        this.cells = cells;
        this.records = records;
        this.policy = policy;
        this.failovers = failovers;
        this.clock = clock;
    }

    /** One round: note lost cells, cancel those back, fail over those whose wait is over; never throws. */
    public synchronized void tick() {
        try {
            Instant now = clock.instant();
            List<Cell> failover = cells.list().stream().filter(c -> c.allocated() && policy.failover(c.poolId()))
                    .toList();
            // the cells that are back first: they may be the room a waiting instance needs in this very round
            failover.stream().filter(c -> c.status() == CellStatus.ONLINE).forEach(this::back);
            List<Cell> lost = failover.stream().filter(c -> c.status() == CellStatus.OFFLINE && c.lostAt() != null)
                    .toList();
            if (!lost.isEmpty()) { // the records are read only when a cell is lost
                List<InstanceRecord> instances = records.list();
                lost.forEach(c -> lost(c, instances, now));
            }
        } catch (RuntimeException e) {
            LOG.warn("failover round failed: {}", e.toString());
        }
    }

    /**
     * Has the online cells of failover pools describe their instances not described yet; called on a thread of its
     * own, since a cell that is slow to answer must not hold back {@link #tick}.
     */
    public void learn() {
        try {
            List<Cell> online = cells.list().stream().filter(c -> c.status() == CellStatus.ONLINE && c.allocated()
                    && policy.failover(c.poolId())).toList();
            if (online.isEmpty()) {
                return;
            }
            // one pass over the records, not one per cell; cell by cell
            Map<String, List<InstanceRecord>> byCell = records.list().stream()
                    .filter(r -> r.taskId() == null && r.cellId() != null)
                    .collect(Collectors.groupingBy(InstanceRecord::cellId));
            online.forEach(c -> byCell.getOrDefault(c.id(), List.of()).forEach(failovers::describe));
        } catch (RuntimeException e) {
            LOG.warn("failover: describing instances failed: {}", e.toString());
        }
    }

    /** @return when the instances of a lost cell may run elsewhere: the wait after the later of last heard and lost */
    Instant dueAt(Cell cell) {
        Instant from = cell.lastSeen() != null && cell.lastSeen().isAfter(cell.lostAt()) ? cell.lastSeen()
                : cell.lostAt();
        return from.plus(policy.failoverDelay());
    }

    private void back(Cell cell) {
        Instant was = due.remove(cell.id());
        if (was != null) {
            // a cell that is back may be the room a failed failover lacked: try those again at the next round
            retryAt.clear();
        }
        if (was == null) {
            return;
        }
        if (clock.instant().isBefore(was)) {
            LOG.warn("cell {} is back before its failover was due: its instances stay on it", cell.id());
        } else {
            LOG.warn("cell {} is back after its failover: what did not move stays on it", cell.id());
        }
        returned.accept(cell.id());
    }

    private void lost(Cell cell, List<InstanceRecord> instances, Instant now) {
        Instant at = due.computeIfAbsent(cell.id(), c -> {
            Instant when = dueAt(cell);
            LOG.warn("cell {} of failover pool {} lost at {}: its instances are started elsewhere at {} unless it is"
                    + " back by then", cell.id(), cell.poolId(), cell.lostAt(), when);
            return when;
        });
        if (now.isBefore(at)) {
            return;
        }
        for (InstanceRecord r : instances) {
            if (!cell.id().equals(r.cellId()) || r.taskId() != null || !movable(r.state())) {
                continue;
            }
            Instant retry = retryAt.get(r.id());
            if (retry != null && now.isBefore(retry)) {
                continue;
            }
            retryAt.put(r.id(), now.plus(Duration.ofSeconds(RETRY_SECONDS)));
            failovers.failover(r, cell);
        }
    }

    private static boolean movable(InstanceState state) {
        return state == InstanceState.RUNNING || state == InstanceState.STOPPED;
    }
}
