package io.skiff.core.internal;

import io.skiff.api.model.ComputePool;
import io.skiff.api.model.StoragePool;
import io.skiff.api.service.ComputePoolService;
import io.skiff.api.service.SkiffException;
import io.skiff.api.state.StateStore;
import io.skiff.core.internal.instance.InstanceRecord;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Compute pools, kept in the state store under type {@value #TYPE}. A pool's failover is turned on only while a
 * shared storage pool is attached to it; the storage pool service refuses to attach a storage pool that is not shared
 * to such a pool, or to detach its storage pool.
 */
@Component(service = ComputePoolService.class)
public class ComputePoolServiceImpl implements ComputePoolService {
    static final String TYPE = "pool";
    private static final Logger LOG = LoggerFactory.getLogger(ComputePoolServiceImpl.class);

    private final StateStore store;
    private final InventoryLock lock;
    private final Clock clock;
    private final StoragePoolRecords storagePools;

    @Activate
    public ComputePoolServiceImpl(@Reference StateStore store, @Reference InventoryLock lock) {
        this(store, lock, Clock.systemUTC());
    }

    ComputePoolServiceImpl(StateStore store, InventoryLock lock, Clock clock) {
        this.store = store;
        this.lock = lock;
        this.clock = clock;
        this.storagePools = new StoragePoolRecords(store);
    }

    @Override
    public List<ComputePool> list() {
        return store.list(TYPE, ComputePool.class);
    }

    @Override
    public ComputePool get(String name) {
        return store.get(TYPE, name, ComputePool.class)
                .orElseThrow(() -> SkiffException.notFound("compute pool", name));
    }

    @Override
    public ComputePool create(String name, String description) {
        Names.require("name", name);
        String text = Names.optionalText("description", description, 1024);
        return lock.locked(() -> {
            if (store.get(TYPE, name, ComputePool.class).isPresent()) {
                throw SkiffException.conflict("name", "compute pool '" + name + "' already exists");
            }
            ComputePool pool = new ComputePool(name, name, text, clock.instant());
            store.put(TYPE, name, pool);
            LOG.info("pool {} created", name);
            return pool;
        });
    }

    @Override
    public ComputePool update(String name, String description) {
        return update(name, description, null);
    }

    @Override
    public ComputePool update(String name, String description, Boolean failover) {
        String text = Names.optionalText("description", description, 1024);
        return lock.locked(() -> {
            ComputePool old = get(name);
            boolean on = failover == null ? old.failover() : failover;
            if (on != old.failover()) {
                requireNoInstances(name);
            }
            if (on && !old.failover()) {
                requireSharedStorage(name);
            }
            ComputePool pool = new ComputePool(old.id(), old.name(), text, old.createdAt(), on);
            store.put(TYPE, name, pool);
            LOG.info("pool {} updated (failover {})", name, on);
            return pool;
        });
    }

    /** Cells learn whether to fence an instance with its spec: the setting holds for instances created after it. */
    private void requireNoInstances(String name) {
        long instances = store.list(InstanceRecord.TYPE, InstanceRecord.class).stream()
                .filter(r -> name.equals(r.spec().poolId())).count();
        if (instances > 0) {
            throw SkiffException.conflict("failover", "compute pool '" + name + "' has " + instances + " instance(s);"
                    + " failover is set while a pool has none (its cells are told with each instance)");
        }
    }

    /** Failover starts a lost cell's instances on another cell from the same disks, which only shared storage has. */
    private void requireSharedStorage(String name) {
        StoragePool storage = storagePools.forComputePool(name).orElseThrow(() -> SkiffException.conflict("failover",
                "compute pool '" + name + "' has no storage pool; failover needs a shared (nfs) storage pool "
                        + "attached to it"));
        if (!storage.shared()) {
            throw SkiffException.conflict("failover", "compute pool '" + name + "' keeps its disks in storage pool '"
                    + storage.id() + "' of type " + storage.provider() + ", which only one host sees; failover "
                    + "needs a shared (nfs) storage pool");
        }
    }

    @Override
    public void delete(String name) {
        lock.locked(() -> {
            get(name);
            List<String> members = store.list(CellRecord.TYPE, CellRecord.class).stream()
                    .filter(c -> name.equals(c.poolId()))
                    .map(CellRecord::id)
                    .collect(Collectors.toList());
            if (!members.isEmpty()) {
                throw SkiffException.conflict("name", "compute pool '" + name + "' still has cells: "
                        + String.join(", ", members) + "; remove them first");
            }
            storagePools.forComputePool(name).ifPresent(p -> {
                throw SkiffException.conflict("name", "compute pool '" + name + "' keeps its instances' disks in "
                        + "storage pool '" + p.id() + "'; detach it first");
            });
            store.delete(TYPE, name);
            LOG.info("pool {} deleted", name);
            return null;
        });
    }
}
