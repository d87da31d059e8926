package io.skiff.core.internal;

import io.skiff.api.service.CellService;
import io.skiff.api.service.ComputePoolService;
import io.skiff.api.service.ReadinessService;
import io.skiff.api.state.StateStore;
import io.skiff.api.task.TaskEngine;
import io.skiff.api.transport.ClusterTransport;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Core is ready once its state is loaded (the store and engine are active), the pool, cell and instance
 * services are up and the transport has joined the domain.
 */
@Component(service = ReadinessService.class)
public class CoreReadiness implements ReadinessService {
    private final ClusterTransport transport;
    private final String version;

    @Activate
    public CoreReadiness(@Reference StateStore store, @Reference TaskEngine engine,
                         @Reference ComputePoolService pools, @Reference CellService cells,
                         @Reference ClusterTransport transport, @Reference io.skiff.api.service.InstanceService instances,
                         BundleContext context) {
        this.transport = transport;
        this.version = context.getBundle().getVersion().toString();
    }

    @Override
    public boolean ready() {
        return !transport.members().isEmpty();
    }

    @Override
    public Map<String, Object> details() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("version", version);
        details.put("domain", transport.domain());
        details.put("node", transport.localNode());
        details.put("members", transport.members().size());
        details.put("uptimeSeconds", ManagementFactory.getRuntimeMXBean().getUptime() / 1000);
        return details;
    }
}
