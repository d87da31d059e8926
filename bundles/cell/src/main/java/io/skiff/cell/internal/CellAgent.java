package io.skiff.cell.internal;

import io.skiff.api.model.CellReport;
import io.skiff.api.model.CellResources;
import io.skiff.api.spi.Hypervisor;
import io.skiff.api.transport.ClusterTransport;
import io.skiff.osgi.support.ComponentActivations;
import io.skiff.osgi.support.host.HostNames;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Publishes this host's resources to the domain every {@code reportIntervalMillis}, from the moment the cell is ready
 * to run instances ({@link CellReadiness}): the Core takes a cell online with its first report.
 */
@Component(immediate = true, configurationPid = "io.skiff.cell")
@Designate(ocd = CellAgentConfig.class)
public class CellAgent {
    private static final Logger LOG = LoggerFactory.getLogger(CellAgent.class);

    private final ClusterTransport transport;
    private final HostProbe probe;
    private final String hostname;
    private final String version;
    private final ScheduledExecutorService timer;
    private final CellReadiness readiness;
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<Hypervisor> hypervisors;
    private final org.osgi.framework.ServiceRegistration<io.skiff.api.model.ComponentActivation> activation;

    @Activate
    public CellAgent(@Reference ClusterTransport transport, CellAgentConfig config, BundleContext context) {
        this.transport = transport;
        this.probe = new HostProbe(Path.of("/proc"), dataDir(config), Clock.systemUTC());
        this.hostname = HostNames.system().name();
        this.version = context.getBundle().getVersion().toString();
        this.readiness = new CellReadiness(transport.localNode(), () -> hypervisors, System::nanoTime);
        this.activation = ComponentActivations.register(context, "CellAgent");
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "skiff-cell-report");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(this::report, 0, config.reportIntervalMillis(), TimeUnit.MILLISECONDS);
        LOG.info("cell {} started on host {}, reporting every {} ms", transport.localNode(), hostname,
                config.reportIntervalMillis());
    }

    @Deactivate
    void deactivate() {
        ComponentActivations.unregister(activation);
        timer.shutdownNow();
    }

    private void report() {
        try {
            if (!readiness.ready()) {
                return;
            }
            CellResources resources = probe.measure();
            transport.publish(CellReport.TYPE, new CellReport(transport.localNode(), hostname, version, resources));
        } catch (Exception e) {
            LOG.warn("cell {}: report failed: {}", transport.localNode(), e.toString());
        }
    }

    private static Path dataDir(CellAgentConfig config) {
        if (!config.dataDir().isBlank()) {
            return Path.of(config.dataDir());
        }
        return Path.of(System.getProperty("karaf.data", "data"), "skiff", "cell");
    }
}
