package io.skiff.core.internal.storage;

import io.skiff.api.cell.CellVolumes;
import io.skiff.api.cell.StoragePoolDefinition;
import io.skiff.api.model.CellStoragePool;
import io.skiff.api.model.ComputePool;
import io.skiff.api.model.DiskSpec;
import io.skiff.api.model.StoragePool;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.CellInventoryService;
import io.skiff.api.service.CellService;
import io.skiff.api.service.ComputePoolService;
import io.skiff.api.service.SkiffException;
import io.skiff.api.service.StoragePoolService;
import io.skiff.api.state.StateStore;
import io.skiff.api.transport.ClusterTransport;
import io.skiff.core.internal.InventoryLock;
import io.skiff.core.internal.Names;
import io.skiff.core.internal.StoragePoolRecords;
import io.skiff.core.internal.instance.CellCalls;
import io.skiff.core.internal.instance.InstanceRecord;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Storage pools the Core defines ({@link StoragePoolRecords}, state store type {@value StoragePoolRecords#TYPE}):
 * created once their settings are checked here ({@link StoragePoolSettings}) and by a cell's backend
 * ({@link StoragePoolCheck}); attached to compute pools (one storage pool per compute pool); deleted only when no
 * compute pool uses them and no instance keeps a volume in them; shown with the capacity the cells report
 * ({@link StoragePoolCapacity}). Check-then-change operations hold the {@link InventoryLock}, as compute pools do.
 */
@Component(service = StoragePoolService.class)
public class StoragePoolServiceImpl implements StoragePoolService {
    private static final Logger LOG = LoggerFactory.getLogger(StoragePoolServiceImpl.class);
    /** How long a cell may take to check a pool (an NFS server that does not answer takes its connect time-out). */
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(60);

    private final StateStore store;
    private final StoragePoolRecords records;
    private final InventoryLock lock;
    private final StoragePoolCheck check;
    private final ComputePoolService computePools;
    private final Supplier<List<CellStoragePool>> reports;
    private final Clock clock;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile CellInventoryService inventory;

    @Activate
    public StoragePoolServiceImpl(@Reference StateStore store, @Reference InventoryLock lock,
                                  @Reference CellService cells, @Reference ClusterTransport transport,
                                  @Reference ComputePoolService computePools) {
        this.store = store;
        this.records = new StoragePoolRecords(store);
        this.lock = lock;
        CellCalls calls = new CellCalls(transport, CHECK_TIMEOUT);
        this.check = new StoragePoolCheck(cells::list, calls::volumes);
        this.computePools = computePools;
        this.reports = () -> {
            CellInventoryService i = inventory;
            return i == null ? List.of() : i.storagePools();
        };
        this.clock = Clock.systemUTC();
    }

    StoragePoolServiceImpl(StateStore store, InventoryLock lock, StoragePoolCheck check,
                           ComputePoolService computePools, Supplier<List<CellStoragePool>> reports, Clock clock) {
        this.store = store;
        this.records = new StoragePoolRecords(store);
        this.lock = lock;
        this.check = check;
        this.computePools = computePools;
        this.reports = reports;
        this.clock = clock;
    }

    @Override
    public List<StoragePool> list(AuthenticatedUser caller) {
        List<CellStoragePool> reported = reports.get();
        return records.list().stream().map(p -> StoragePoolCapacity.of(p, reported)).toList();
    }

    @Override
    public StoragePool get(String id, AuthenticatedUser caller) {
        return StoragePoolCapacity.of(require(id), reports.get());
    }

    private StoragePool require(String id) {
        return records.find(id).orElseThrow(() -> SkiffException.notFound("storage pool", id));
    }

    @Override
    public StoragePool create(String name, String type, Map<String, String> settings, AuthenticatedUser caller) {
        Names.require("name", name);
        Map<String, String> checked = StoragePoolSettings.check(type, settings);
        if (records.find(name).isPresent()) {
            throw duplicate(name);
        }
        // outside the lock: a cell may take seconds to find that a server does not answer
        String cell = check.check(new StoragePoolDefinition(name, type, checked));
        return lock.locked(() -> {
            if (records.find(name).isPresent()) {
                throw duplicate(name);
            }
            StoragePool pool = new StoragePool(name, name, type, checked, 0, 0, List.of(), clock.instant());
            records.save(pool);
            LOG.info("storage pool {} ({} {}) created, checked by cell {}", name, type, checked, cell);
            return pool;
        });
    }

    private static SkiffException duplicate(String name) {
        return SkiffException.conflict("name", "storage pool '" + name + "' already exists");
    }

    @Override
    public void delete(String id, AuthenticatedUser caller) {
        lock.locked(() -> {
            StoragePool pool = require(id);
            if (!pool.computePools().isEmpty()) {
                throw SkiffException.conflict("id", "storage pool '" + id + "' is attached to compute pool(s) "
                        + String.join(", ", pool.computePools()) + "; detach it first");
            }
            long instances = store.list(InstanceRecord.TYPE, InstanceRecord.class).stream()
                    .filter(r -> keepsVolumesIn(r, id)).count();
            if (instances > 0) {
                throw SkiffException.conflict("id", "storage pool '" + id + "' still holds the volumes of "
                        + instances + " instance(s); delete them first");
            }
            records.delete(id);
            LOG.info("storage pool {} deleted", id);
            return null;
        });
    }

    private static boolean keepsVolumesIn(InstanceRecord r, String pool) {
        return pool.equals(r.storagePoolId())
                || r.spec().disks().stream().map(DiskSpec::storagePool).anyMatch(pool::equals);
    }

    @Override
    public StoragePool attach(String id, String computePoolId, AuthenticatedUser caller) {
        if (computePoolId == null || computePoolId.isEmpty()) {
            throw SkiffException.invalid("computePool", "computePool is required");
        }
        return lock.locked(() -> {
            StoragePool pool = require(id);
            ComputePool computePool;
            try {
                computePool = computePools.get(computePoolId);
            } catch (SkiffException e) {
                throw SkiffException.notFound("computePool", "compute pool", computePoolId);
            }
            if (computePool.failover() && !pool.shared()) {
                throw SkiffException.conflict("computePool", "compute pool '" + computePoolId + "' has failover on, "
                        + "which needs shared storage; storage pool '" + id + "' of type " + pool.provider()
                        + " is not shared");
            }
            Optional<StoragePool> current = records.forComputePool(computePoolId);
            if (current.isPresent()) {
                if (current.get().id().equals(id)) {
                    return get(id, caller);
                }
                throw SkiffException.conflict("computePool", "compute pool '" + computePoolId + "' keeps its "
                        + "instances' disks in storage pool '" + current.get().id() + "'; detach it first");
            }
            List<String> attached = new ArrayList<>(pool.computePools());
            attached.add(computePoolId);
            attached.sort(null);
            records.save(pool.withComputePools(attached));
            LOG.info("storage pool {} attached to compute pool {}", id, computePoolId);
            return get(id, caller);
        });
    }

    @Override
    public StoragePool detach(String id, String computePoolId, AuthenticatedUser caller) {
        return lock.locked(() -> {
            StoragePool pool = require(id);
            if (!pool.computePools().contains(computePoolId)) {
                throw SkiffException.notFound("computePool", "attachment of storage pool '" + id
                        + "' to compute pool", computePoolId);
            }
            if (failoverOn(computePoolId)) {
                throw SkiffException.conflict("computePool", "compute pool '" + computePoolId + "' has failover on, "
                        + "which needs its shared storage pool; turn failover off first");
            }
            List<String> attached = new ArrayList<>(pool.computePools());
            attached.remove(computePoolId);
            records.save(pool.withComputePools(attached));
            LOG.info("storage pool {} detached from compute pool {}", id, computePoolId);
            return get(id, caller);
        });
    }

    private boolean failoverOn(String computePoolId) {
        try {
            return computePools.get(computePoolId).failover();
        } catch (SkiffException e) {
            return false;
        }
    }

    @Override
    public Optional<StoragePool> forComputePool(String computePoolId, AuthenticatedUser caller) {
        return records.forComputePool(computePoolId).map(p -> StoragePoolCapacity.of(p, reports.get()));
    }
}
