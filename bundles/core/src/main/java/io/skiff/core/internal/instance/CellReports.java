package io.skiff.core.internal.instance;

import io.skiff.api.cell.CellInstanceState;
import io.skiff.api.cell.CellInstancesReport;
import io.skiff.api.cell.CellProtocol;
import io.skiff.api.cell.StoragePoolReport;
import io.skiff.api.model.Cell;
import io.skiff.api.model.CellStatus;
import io.skiff.api.model.CellStoragePool;
import io.skiff.api.model.InstanceState;
import io.skiff.api.model.InstanceStatus;
import io.skiff.api.service.CellInventoryService;
import io.skiff.api.service.CellService;
import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.HostCapabilities;
import io.skiff.api.transport.ClusterTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * What the cells say: each cell's last report ({@value CellProtocol#INSTANCES_REPORT}) of its instances, storage pools
 * and hypervisor, and from it the observed state of every instance ({@link #status}). A record says what the last
 * task left; an observation newer than that says what actually runs. Each report also goes to the
 * {@link OrphanSweeper} (the safety net behind rollbacks), and about once a minute the sweeper releases addresses
 * still bound to removed instances.
 */
final class CellReports implements CellInventoryService {
    private static final Logger LOG = LoggerFactory.getLogger(CellReports.class);

    private final InstanceRecords records;
    private final CellService cells;
    private final InstanceProviders providers;
    private final OrphanSweeper orphans;
    private final Clock clock;
    private final Map<String, CellInstanceState> observed = new ConcurrentHashMap<>();
    /** When each observation arrived: one older than the record's last change does not override it. */
    private final Map<String, Instant> observedAt = new ConcurrentHashMap<>();
    private final Map<String, CellInstancesReport> lastReports = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastReportAt = new ConcurrentHashMap<>();
    private volatile Instant addressSweepAt = Instant.EPOCH;
    private final List<Consumer<CellInstancesReport>> listeners = new CopyOnWriteArrayList<>();

    CellReports(InstanceRecords records, CellService cells, InstanceProviders providers, OrphanSweeper orphans,
                Clock clock) {
        this.records = records;
        this.cells = cells;
        this.providers = providers;
        this.orphans = orphans;
        this.clock = clock;
        records.onRemoved(this::forget);
    }

    /** @return the subscription to the cells' reports; closing it stops listening */
    ClusterTransport.Registration listen(ClusterTransport transport) {
        return transport.subscribe(CellProtocol.INSTANCES_REPORT, m -> {
            onReport(m.body(CellInstancesReport.class));
            return null;
        });
    }

    /**
     * Hands every report to {@code listener} too (the transport takes one handler per message type), once its
     * observations are in.
     */
    void alsoTell(Consumer<CellInstancesReport> listener) {
        listeners.add(listener);
    }

    void onReport(CellInstancesReport report) {
        try {
            orphans.onReport(report);
            if (Duration.between(addressSweepAt, clock.instant()).toSeconds() >= 60) {
                addressSweepAt = clock.instant();
                orphans.releaseOrphanAddresses(providers.addressPoolsOrNull());
            }
        } catch (RuntimeException e) {
            LOG.warn("orphan check of the report of cell {} failed: {}", report.node(), e.toString());
        }
        lastReports.put(report.node(), report);
        lastReportAt.put(report.node(), clock.instant());
        for (CellInstanceState s : report.instances()) {
            // only the instance's own cell speaks for it (cells sharing a hypervisor see each other's domains)
            records.find(s.instanceId())
                    .filter(r -> report.node().equals(r.cellId()))
                    .ifPresent(r -> {
                        observedAt.put(s.instanceId(), clock.instant());
                        observed.put(s.instanceId(), s);
                    });
        }
        // after the observations are in: a listener that reads an instance's state sees this report's
        for (Consumer<CellInstancesReport> listener : listeners) {
            try {
                listener.accept(report);
            } catch (RuntimeException e) {
                LOG.warn("the report of cell {} was not taken by {}: {}", report.node(), listener, e.toString());
            }
        }
    }

    /** Drops what was observed of a removed instance. */
    private void forget(String id) {
        observed.remove(id);
        observedAt.remove(id);
    }

    /** @return every instance as it is, by name */
    List<InstanceStatus> statuses() {
        Now now = now();
        return records.byName().stream().map(now::status).toList();
    }

    /** @return the cells as they are now (which are online, which lost): for telling many instances at once */
    Now now() {
        return new Now(cells.list());
    }

    /** What the cells are at one moment; tells instances' statuses and states as of then. */
    final class Now {
        private final Set<String> online;
        private final Map<String, Instant> lost;

        private Now(List<Cell> all) {
            this.online = online(all);
            this.lost = lost(all);
        }

        InstanceStatus status(InstanceRecord r) {
            return CellReports.this.status(r, online, lost);
        }

        /** @return the instance's state, without the rest of its status */
        InstanceState state(InstanceRecord r) {
            return unknowable(r, lost.get(r.cellId())) ? InstanceState.UNKNOWN
                    : observedState(r, online.contains(r.cellId()) ? observed.get(r.id()) : null);
        }
    }

    /** @return the instance as its record and its cell's last report say */
    InstanceStatus status(InstanceRecord r) {
        return now().status(r);
    }

    /** @return the state the instance is in: the record's, or the observed one when newer */
    InstanceState state(InstanceRecord r) {
        return now().state(r);
    }

    private InstanceStatus status(InstanceRecord r, Set<String> onlineCells, Map<String, Instant> lostCells) {
        CellInstanceState seen = onlineCells.contains(r.cellId()) ? observed.get(r.id()) : null;
        Instant lostAt = lostCells.get(r.cellId());
        if (unknowable(r, lostAt)) {
            return new InstanceStatus(r.id(), r.spec(), InstanceState.UNKNOWN, r.cellId(), r.owner(), r.group(),
                    providers.addressOf(r.id()), null, r.lastError() != null ? r.lastError()
                    : "cell " + r.cellId() + " is lost since " + lostAt, r.taskId(), r.createdAt(), r.updatedAt());
        }
        InstanceState state = observedState(r, seen);
        return new InstanceStatus(r.id(), r.spec(), state, r.cellId(), r.owner(), r.group(),
                providers.addressOf(r.id()), state == InstanceState.RUNNING && seen != null ? seen.stats() : null,
                state == InstanceState.ERROR && r.lastError() == null && seen != null
                        ? "the cell has no domain for it" : r.lastError(),
                r.taskId(), r.createdAt(), r.updatedAt());
    }

    /** Nobody can tell whether it runs (its cell is lost, no task works on it): never show it as stopped. */
    private static boolean unknowable(InstanceRecord r, Instant cellLostAt) {
        return cellLostAt != null && r.taskId() == null
                && (r.state() == InstanceState.RUNNING || r.state() == InstanceState.STOPPED);
    }

    /** The record's state, or what the cell last saw ({@code seen}, online cells only) when that is newer. */
    private InstanceState observedState(InstanceRecord r, CellInstanceState seen) {
        InstanceState state = r.state();
        Instant seenAt = observedAt.get(r.id());
        // a report that arrived before the last change (e.g. "shut off" just before "mark running") is stale
        boolean fresh = seenAt != null && (r.updatedAt() == null || !seenAt.isBefore(r.updatedAt()));
        if (seen != null && fresh && (state == InstanceState.RUNNING || state == InstanceState.STOPPED)) {
            state = switch (seen.domainState()) {
                case "RUNNING", "PAUSED" -> InstanceState.RUNNING;
                case "SHUT_OFF", "CRASHED" -> InstanceState.STOPPED;
                case "UNDEFINED" -> InstanceState.ERROR;
                default -> state;
            };
        }
        return state;
    }

    /** An offline cell's last report is stale: its instances show their recorded state and no live figures. */
    private static Set<String> online(List<Cell> all) {
        return all.stream().filter(c -> c.status() == CellStatus.ONLINE).map(Cell::id).collect(Collectors.toSet());
    }

    /** The cells this Core saw go offline, with when: their instances are {@link InstanceState#UNKNOWN}. */
    private static Map<String, Instant> lost(List<Cell> all) {
        return all.stream().filter(c -> c.status() == CellStatus.OFFLINE && c.lostAt() != null)
                .collect(Collectors.toMap(Cell::id, Cell::lostAt));
    }

    @Override
    public List<CellStoragePool> storagePools() {
        List<CellStoragePool> pools = new ArrayList<>();
        lastReports.forEach((cell, report) -> {
            if (report.storagePools() != null) {
                for (StoragePoolReport p : report.storagePools()) {
                    pools.add(new CellStoragePool(cell, p.name(), p.provider(), p.capacityBytes(), p.allocationBytes(),
                            p.availableBytes(), lastReportAt.get(cell)));
                }
            }
        });
        pools.sort(Comparator.comparing(CellStoragePool::cellId).thenComparing(CellStoragePool::name));
        return pools;
    }

    @Override
    public HostCapabilities capabilities(String cellId) {
        CellInstancesReport report = lastReports.get(cellId);
        if (report == null || report.host() == null) {
            throw SkiffException.notFound("cell", "hypervisor capabilities of cell", cellId);
        }
        return report.host();
    }
}
