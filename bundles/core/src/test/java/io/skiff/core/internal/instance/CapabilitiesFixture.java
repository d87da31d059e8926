package io.skiff.core.internal.instance;

import io.skiff.api.service.CellService;
import io.skiff.api.service.OperationLog;
import io.skiff.api.transport.ClusterTransport;
import io.skiff.core.internal.ComputePoolServiceImpl;
import io.skiff.core.internal.InventoryLock;
import io.skiff.core.internal.image.ImageCatalog;
import io.skiff.core.internal.json.Json;
import io.skiff.core.internal.state.JournalStateStore;
import io.skiff.core.internal.task.JournaledTaskEngine;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * The instance capabilities on a real journal (in {@code dir}) and task engine, with the given cells and transport,
 * the given records already journaled, every undo handler registered and the engine started; closed together.
 */
record CapabilitiesFixture(JournalStateStore store, JournaledTaskEngine engine, InstanceCapabilities instances)
        implements AutoCloseable {

    static CapabilitiesFixture open(Path dir, CellService cells, ClusterTransport transport,
                                    Map<String, Object> settings, InstanceProviders providers, int threads,
                                    InstanceRecord... records) throws Exception {
        JournalStateStore store = new JournalStateStore(dir.resolve("state"), Json.newObjectMapper(), 10_000);
        for (InstanceRecord r : records) {
            store.put(InstanceRecord.TYPE, r.id(), r);
        }
        JournaledTaskEngine engine = new JournaledTaskEngine(store, threads, Clock.systemUTC());
        InventoryLock lock = new InventoryLock();
        InstanceCapabilities instances = new InstanceCapabilities(store, engine, cells,
                new ComputePoolServiceImpl(store, lock), new ImageCatalog(store, lock, engine, dir.resolve("images"),
                Clock.systemUTC()), transport, null, InstanceCellProtocolTest.config(SchedulerConfig.class, settings),
                FaultInjection.from(settings), providers);
        instances.undoHandlers().forEach(engine.undoHandlers()::add);
        engine.start();
        return new CapabilitiesFixture(store, engine, instances);
    }

    /** Providers with a placement policy that takes the first candidate and the given operation log. */
    static InstanceProviders firstFitLogging(OperationLog log) {
        InstanceProviders providers = new InstanceProviders();
        providers.addPolicy((spec, candidates) -> candidates.stream().findFirst(), "least-loaded");
        providers.setOperationLog(log);
        return providers;
    }

    @Override
    public void close() {
        instances.close();
        engine.close();
    }
}
