package io.skiff.core.internal;

import io.skiff.api.model.Cell;
import io.skiff.api.model.CellReport;
import io.skiff.api.model.CellResources;
import io.skiff.api.model.CellStatus;
import io.skiff.api.model.ComputePool;
import io.skiff.api.service.CellService;
import io.skiff.api.service.SkiffException;
import io.skiff.api.state.StateStore;
import io.skiff.api.transport.ClusterMember;
import io.skiff.api.transport.ClusterTransport;
import io.skiff.api.transport.Message;
import io.skiff.core.internal.tls.CellMigrationTls;
import io.skiff.osgi.support.ComponentActivations;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The Core's view of the cells: a cell appears (unallocated) with its first report, is online while its
 * reports arrive every two seconds, and is marked offline when it has been silent for
 * {@code offlineAfterSeconds} or has left the cluster view. While a second member of the domain uses a cell's node
 * name (the transport refuses the later one and drops its messages), the cell is {@link CellStatus#DUPLICATE_NAME}:
 * the placement skips it until one of them leaves. An offline cell carries when this Core noticed the loss
 * ({@link Cell#lostAt()}), from which the failover controller counts.
 */
@Component(service = CellService.class, immediate = true, configurationPid = "io.skiff.core.cells")
@Designate(ocd = CellRegistryConfig.class)
public class CellRegistry implements CellService {
    private static final Logger LOG = LoggerFactory.getLogger(CellRegistry.class);

    private final StateStore store;
    private final InventoryLock lock;
    private final Clock clock;
    private final Duration offlineAfter;
    private final Map<String, Liveness> live = new ConcurrentHashMap<>();
    /** The node names that several members use, with their addresses: runtime facts, never journaled. */
    private volatile Map<String, List<String>> duplicates = Map.of();
    private final List<ClusterTransport.Registration> registrations = new ArrayList<>();
    private ScheduledExecutorService timer;
    private ClusterTransport transport;
    /** Where each cell stands with migration TLS, as its instances reports say (absent in tools and tests). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile CellMigrationTls migrationTls;

    /** Runtime facts about a cell: never journaled; {@code lostAt} is when this Core noticed it went offline. */
    private record Liveness(CellResources resources, Instant lastSeen, boolean online, Instant lostAt) {
    }

    private org.osgi.framework.ServiceRegistration<io.skiff.api.model.ComponentActivation> activation;

    @Activate
    public CellRegistry(@Reference StateStore store, @Reference InventoryLock lock,
                        @Reference ClusterTransport transport, CellRegistryConfig config,
                        org.osgi.framework.BundleContext context) {
        this(store, lock, Clock.systemUTC(), Duration.ofSeconds(config.offlineAfterSeconds()));
        this.transport = transport;
        this.activation = ComponentActivations.register(context, "CellRegistry");
        registrations.add(transport.subscribe(CellReport.TYPE, this::onReport));
        registrations.add(transport.addMembershipListener(this::onMembersChanged));
        findDuplicates(transport.members());
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "skiff-cell-liveness");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::checkLiveness, config.checkIntervalMillis(),
                config.checkIntervalMillis(), TimeUnit.MILLISECONDS);
    }

    CellRegistry(StateStore store, InventoryLock lock, Clock clock, Duration offlineAfter) {
        this.store = store;
        this.lock = lock;
        this.clock = clock;
        this.offlineAfter = offlineAfter;
    }

    @Deactivate
    void deactivate() {
        ComponentActivations.unregister(activation);
        registrations.forEach(ClusterTransport.Registration::close);
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private Object onReport(Message message) {
        CellReport report = message.body(CellReport.class);
        List<String> addresses = transport.members().stream().filter(m -> m.node().equals(message.from()))
                .map(ClusterMember::address).toList();
        // while two members use the name, the one the cell was known at is the one the transport still hears
        String known = store.get(CellRecord.TYPE, report.node(), CellRecord.class).map(CellRecord::address)
                .orElse(null);
        String address = addresses.contains(known) ? known : addresses.isEmpty() ? message.from() : addresses.get(0);
        report(report, address);
        return null;
    }

    /** Records a report: creates the cell on first contact, marks it online. */
    void report(CellReport report, String address) {
        String id = report.node();
        Liveness before = live.put(id, new Liveness(report.resources(), clock.instant(), true, null));
        CellRecord known = store.get(CellRecord.TYPE, id, CellRecord.class).orElse(null);
        if (known == null) {
            lock.locked(() -> {
                if (store.get(CellRecord.TYPE, id, CellRecord.class).isEmpty()) {
                    store.put(CellRecord.TYPE, id,
                            new CellRecord(id, report.hostname(), address, null, true, clock.instant()));
                    LOG.info("cell {} joined (host {}), unallocated", id, report.hostname());
                }
                return null;
            });
        } else if (!report.hostname().equals(known.hostname()) || !address.equals(known.address())) {
            lock.locked(() -> {
                store.put(CellRecord.TYPE, id, known.withHost(report.hostname(), address));
                return null;
            });
        }
        if (before == null || !before.online()) {
            LOG.info("cell {} online", id);
        }
    }

    private void onMembersChanged(List<ClusterMember> members, Set<String> joined, Set<String> left) {
        for (String node : left) {
            markOffline(node, "left the cluster view");
        }
        findDuplicates(members);
    }

    /** Notes the node names that several members use, with a log line naming their addresses. */
    void findDuplicates(List<ClusterMember> members) {
        Map<String, List<String>> byName = new LinkedHashMap<>();
        for (ClusterMember m : members) {
            byName.computeIfAbsent(m.node(), n -> new ArrayList<>()).add(m.address());
        }
        byName.values().removeIf(addresses -> addresses.size() < 2);
        Map<String, List<String>> before = duplicates;
        duplicates = Map.copyOf(byName);
        byName.forEach((name, addresses) -> {
            if (!addresses.equals(before.get(name))) {
                LOG.warn("cell {}: {} members of the domain use this node name (at {}); the one that joined later is "
                        + "refused and the cell is {} until one of them leaves; give every node a unique nodeName",
                        name, addresses.size(), String.join(" and ", addresses), CellStatus.DUPLICATE_NAME);
            }
        });
        before.keySet().stream().filter(name -> !byName.containsKey(name))
                .forEach(name -> LOG.info("cell {}: its node name is unique in the domain again", name));
    }

    /** Marks cells offline whose reports stopped. */
    void checkLiveness() {
        Instant limit = clock.instant().minus(offlineAfter);
        live.forEach((id, l) -> {
            if (l.online() && l.lastSeen().isBefore(limit)) {
                markOffline(id, "silent since " + l.lastSeen());
            }
        });
    }

    private void markOffline(String id, String why) {
        Liveness l = live.get(id);
        if (l != null && l.online()) {
            live.put(id, new Liveness(l.resources(), l.lastSeen(), false, clock.instant()));
            LOG.warn("cell {} offline: {}", id, why);
        }
    }

    private Cell toCell(CellRecord r) {
        Liveness l = live.get(r.id());
        boolean online = l != null && l.online();
        CellStatus status = duplicates.containsKey(r.id()) ? CellStatus.DUPLICATE_NAME
                : online ? CellStatus.ONLINE : CellStatus.OFFLINE;
        return new Cell(r.id(), r.hostname(), r.address(), r.poolId(), r.enabled(), status,
                l == null ? null : l.resources(), r.joinedAt(), l == null ? null : l.lastSeen(),
                migrationTls(r.id()), l == null || online ? null : l.lostAt());
    }

    private String migrationTls(String id) {
        CellMigrationTls tls = migrationTls;
        return tls == null ? null : tls.state(id);
    }

    private CellRecord record(String id) {
        if (id == null || id.isEmpty()) {
            throw SkiffException.invalid("cell", "cell is required");
        }
        return store.get(CellRecord.TYPE, id, CellRecord.class)
                .orElseThrow(() -> SkiffException.notFound("cell", "cell", id));
    }

    @Override
    public List<Cell> list() {
        return store.list(CellRecord.TYPE, CellRecord.class).stream().map(this::toCell).toList();
    }

    @Override
    public Cell get(String id) {
        return toCell(record(id));
    }

    @Override
    public Cell addToPool(String cellId, String poolName) {
        if (poolName == null || poolName.isEmpty()) {
            throw SkiffException.invalid("pool", "pool is required");
        }
        return lock.locked(() -> {
            CellRecord cell = record(cellId);
            store.get(ComputePoolServiceImpl.TYPE, poolName, ComputePool.class)
                    .orElseThrow(() -> SkiffException.notFound("pool", "compute pool", poolName));
            if (cell.poolId() != null) {
                if (cell.poolId().equals(poolName)) {
                    return toCell(cell);
                }
                throw SkiffException.conflict("cell", "cell '" + cellId + "' already belongs to pool '"
                        + cell.poolId() + "'; remove it from that pool first");
            }
            CellRecord updated = cell.withPool(poolName);
            store.put(CellRecord.TYPE, cellId, updated);
            LOG.info("cell {} added to pool {}", cellId, poolName);
            return toCell(updated);
        });
    }

    @Override
    public Cell removeFromPool(String cellId) {
        return lock.locked(() -> {
            CellRecord cell = record(cellId);
            if (cell.poolId() == null) {
                throw SkiffException.conflict("cell", "cell '" + cellId + "' is not in a pool");
            }
            CellRecord updated = cell.withPool(null);
            store.put(CellRecord.TYPE, cellId, updated);
            LOG.info("cell {} removed from pool {}", cellId, cell.poolId());
            return toCell(updated);
        });
    }

    @Override
    public Cell enable(String cellId) {
        return setEnabled(cellId, true);
    }

    @Override
    public Cell disable(String cellId) {
        return setEnabled(cellId, false);
    }

    private Cell setEnabled(String cellId, boolean enabled) {
        return lock.locked(() -> {
            CellRecord cell = record(cellId);
            CellRecord updated = cell.withEnabled(enabled);
            if (cell.enabled() != enabled) {
                store.put(CellRecord.TYPE, cellId, updated);
                LOG.info("cell {} {}", cellId, enabled ? "enabled" : "disabled");
            }
            return toCell(updated);
        });
    }

    @Override
    public void forget(String cellId) {
        lock.locked(() -> {
            Cell cell = toCell(record(cellId));
            if (cell.status() == CellStatus.DUPLICATE_NAME) {
                throw SkiffException.conflict("cell", "two members of the domain use the node name '" + cellId
                        + "'; stop them first");
            }
            if (cell.status() == CellStatus.ONLINE) {
                throw SkiffException.conflict("cell", "cell '" + cellId + "' is online; stop it first");
            }
            if (cell.allocated()) {
                throw SkiffException.conflict("cell", "cell '" + cellId + "' belongs to pool '" + cell.poolId()
                        + "'; remove it from the pool first");
            }
            store.delete(CellRecord.TYPE, cellId);
            live.remove(cellId);
            LOG.info("cell {} forgotten", cellId);
            return null;
        });
    }
}
