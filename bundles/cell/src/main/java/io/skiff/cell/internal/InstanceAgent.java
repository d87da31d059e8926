package io.skiff.cell.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skiff.api.cell.CellCertificates;
import io.skiff.api.cell.CellDisk;
import io.skiff.api.cell.CellProtocol;
import io.skiff.api.cell.InstanceAction;
import io.skiff.api.model.ComponentActivation;
import io.skiff.api.spi.DhcpNetwork;
import io.skiff.api.spi.DhcpServer;
import io.skiff.api.spi.GuestInitializer;
import io.skiff.api.spi.GuestProfile;
import io.skiff.api.spi.Hypervisor;
import io.skiff.api.spi.SnapshotProvider;
import io.skiff.api.spi.StorageBackend;
import io.skiff.api.transport.ClusterTransport;
import io.skiff.osgi.support.ComponentActivations;
import io.skiff.osgi.support.host.HostNames;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The DS shell of the cell's instances: reads the settings, holds the providers (dynamic, greedy references, each
 * chosen by the name the settings give), builds the capabilities that answer the Core's requests and routes the
 * requests to them, re-syncs with the hypervisor once it is there and reports every {@code reportIntervalMillis}.
 * The instances live in the cell's JSON files and in the hypervisor; every capability that defines domains or
 * changes the files runs under one instance lock.
 */
@Component(immediate = true, configurationPid = "io.skiff.cell.instances")
@Designate(ocd = InstanceAgentConfig.class)
public class InstanceAgent {
    /** How long a cell that has just started waits for its transport to see the Core before it may fence. */
    static final Duration FENCING_JOIN_GRACE = Duration.ofSeconds(3);
    private final ServiceRegistration<ComponentActivation> activation;
    private final CellProviders providers;
    private final InstanceLeases leases;
    private final InstanceReporter reporter;
    private final CellRequestRouter router;
    private final List<ClusterTransport.Registration> coreEvents;
    private final List<ClusterTransport.Registration> certificateRequests;
    private final ScheduledExecutorService timer;
    private final ScheduledExecutorService fencingTimer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "skiff-cell-fencing");
        t.setDaemon(true);
        return t;
    });
    private final InstanceRestarts restarts;
    /** Where restarts wait for their back-off and run, apart from the reports. */
    private final ScheduledExecutorService restartTimer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "skiff-cell-restarts");
        t.setDaemon(true);
        return t;
    });
    private final ExecutorService migrations = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "skiff-cell-migration");
        t.setDaemon(true);
        return t;
    });

    @Activate
    public InstanceAgent(@Reference ClusterTransport transport, InstanceAgentConfig config, BundleContext context) {
        this(transport, config, context, Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "skiff-cell-instances");
            t.setDaemon(true);
            return t;
        }));
    }

    /** @param timer runs the reports (periodic and soon after a change) and the first DHCP refresh */
    InstanceAgent(ClusterTransport transport, InstanceAgentConfig config, BundleContext context,
                  ScheduledExecutorService timer) {
        this.activation = ComponentActivations.register(context, "InstanceAgent");
        this.timer = timer;
        String node = transport.localNode();
        Path data = config.dataDir().isBlank() ? Path.of(System.getProperty("karaf.data", "data"), "skiff", "cell")
                : Path.of(config.dataDir());
        CellDirectories dirs = CellDirectories.under(data);
        String consoleListen = ConsoleListenAddress.of(config.consoleListen(), transport);
        ObjectMapper mapper = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        CellInstanceStore files = new CellInstanceStore(dirs.instances(), mapper);
        ImageCache images = new ImageCache(dirs.images());
        Object lock = new Object();
        this.providers = new CellProviders(node, new CellProviders.Names(config.hypervisorProvider(),
                config.storageProvider(), config.storagePool(), config.snapshotProvider(), config.guestInitProvider(),
                config.dhcpProvider()));
        providers.restorePools(disksOf(files));
        MediaCache media = new MediaCache(dirs, files, lock, node);
        MacAllocator macs = new MacAllocator(files, providers, lock, new SecureRandom(), node);
        LeaseFiles leaseFiles = new LeaseFiles(config.leaseDirectory());
        ExpectedStops expectedStops = new ExpectedStops();
        DomainDefinitions domains = new DomainDefinitions(files, providers, media, macs, dirs, config.bridge(),
                consoleListen, lock, node, leaseFiles, expectedStops);
        MediaDrives drives = new MediaDrives(files, providers, media, domains, lock);
        this.leases = new InstanceLeases(files, providers, config.dhcp() && !config.bridge().isBlank()
                ? new DhcpNetwork(config.bridge().strip(), config.dhcpNetns(), config.dhcpLeaseTime()) : null, node);
        String migrationUri = migrationUri(config, consoleListen);
        MigrationTlsCertificates certificates = new MigrationTlsCertificates(config.migrationTlsDir().isBlank() ? null
                : Path.of(config.migrationTlsDir().strip()), node,
                Arrays.asList(hostOf(migrationUri), consoleListen, HostNames.system().name()), Clock.systemUTC());
        this.reporter = new InstanceReporter(transport, files, providers,
                new CellResync(files, providers, domains, node), leases, timer, System::nanoTime,
                certificates::report);
        CoreContact core = new CoreContact(data.resolve("core-contact"), transport::members, Clock.systemUTC());
        SelfFencing fencing = new SelfFencing(core, files, providers::hypervisorIfPresent, expectedStops,
                Clock.systemUTC(), FENCING_JOIN_GRACE, node);
        this.restarts = new InstanceRestarts(files, providers, id -> domains.start(InstanceAction.of(id)), expectedStops,
                fencing::holds, RestartBackoff.standard(Clock.systemUTC()), restartTimer,
                event -> transport.publish(CellProtocol.INSTANCE_RESTART, event), reporter::reportSoon,
                Clock.systemUTC(), node);
        // an instance whose files are gone here (deleted, or released after it moved): neither reported nor restarted
        Consumer<String> forget = id -> {
            reporter.forget(id);
            restarts.forget(id);
        };
        InstanceVolumes volumes = new InstanceVolumes(files, providers, images, media, dirs, lock, forget, leaseFiles);
        this.router = new CellRequestRouter(transport, () -> {
            leases.refresh();
            reporter.reportSoon();
        }, new CellRequestRouter.Capabilities(volumes, new DataDisks(files, providers, domains, lock),
                new DiskMaintenance(files, providers, images, lock), domains, drives,
                new InstanceSnapshots(files, providers, media, drives),
                new InstanceConsoles(files, providers, dirs, consoleListen, node),
                new RunningDomainRequests(files, providers),
                new InstanceMigrations(files, providers, media, dirs, domains, lock, forget, migrations, node,
                        migrationUri, consoleListen, config.migrationBandwidthMiBps())), core::heardFrom);
        try {
            this.certificateRequests = CapabilityDispatcher.register(transport, CellCertificates.class, certificates,
                    reporter::reportSoon);
        } catch (RuntimeException e) {
            router.close();
            throw e;
        }
        coreEvents = List.of(transport.subscribe(CellProtocol.CORE_STOPPING, m -> {
            core.coreStopping();
            return null;
        }), transport.subscribe(CellProtocol.CORE_STARTED, m -> {
            core.coreStarted();
            return null;
        }), transport.subscribe(CellProtocol.CORE_ALIVE, m -> {
            core.alive(m.from());
            return null;
        }));
        timer.execute(leases::refresh);
        // its own thread: a slow report or hypervisor call on the instance timer must not hold the fencing back
        fencingTimer.scheduleWithFixedDelay(fencing::check, 1000, SelfFencing.CHECK_MILLIS, TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(reporter::report, config.reportIntervalMillis(), config.reportIntervalMillis(),
                TimeUnit.MILLISECONDS);
        restartTimer.scheduleWithFixedDelay(restarts::watch, 0, config.reportIntervalMillis(), TimeUnit.MILLISECONDS);
    }

    /** The disks of the cell's instances (none when the files cannot be read; the re-sync says why). */
    private static List<CellDisk> disksOf(CellInstanceStore files) {
        try {
            return files.all().stream().flatMap(f -> f.spec().disks().stream()).toList();
        } catch (IOException e) {
            LoggerFactory.getLogger(InstanceAgent.class).warn("the storage pools of this cell's instances are not "
                    + "known yet: {}", e.toString());
            return List.of();
        }
    }

    @Deactivate
    public void deactivate() {
        ComponentActivations.unregister(activation);
        router.close();
        certificateRequests.forEach(ClusterTransport.Registration::close);
        timer.shutdownNow();
        fencingTimer.shutdownNow();
        coreEvents.forEach(ClusterTransport.Registration::close);
        restartTimer.shutdownNow();
        restarts.close();
        migrations.shutdownNow();
        leases.close();
    }

    /**
     * @param consoleListen the address the consoles listen on ({@link ConsoleListenAddress}: the setting, or the
     *     transport's bind address)
     * @return the URI other cells' hypervisors reach this host's with
     */
    static String migrationUri(InstanceAgentConfig config, String consoleListen) {
        return config.migrationUri().isBlank() ? "qemu+tcp://" + consoleListen.strip() + "/system"
                : config.migrationUri().strip();
    }

    /** @return the host part of a hypervisor URI, or {@code null} when it has none */
    static String hostOf(String uri) {
        try {
            return URI.create(uri).getHost();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Reports now (tests; the timer does it every {@code reportIntervalMillis}). */
    void report() {
        reporter.report();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeHypervisor")
    public void addHypervisor(Hypervisor h, Map<String, Object> properties) {
        providers.addHypervisor(h, properties);
    }

    public void removeHypervisor(Hypervisor h) {
        providers.removeHypervisor(h);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeStorage")
    public void addStorage(StorageBackend backend, Map<String, Object> properties) {
        providers.addStorage(backend, properties);
    }

    public void removeStorage(StorageBackend backend) {
        providers.removeStorage(backend);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeProfile")
    public void addProfile(GuestProfile profile, Map<String, Object> properties) {
        providers.addProfile(profile, properties);
    }

    public void removeProfile(GuestProfile profile) {
        providers.removeProfile(profile);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeSnapshots")
    public void addSnapshots(SnapshotProvider provider, Map<String, Object> properties) {
        providers.addSnapshots(provider, properties);
    }

    public void removeSnapshots(SnapshotProvider provider) {
        providers.removeSnapshots(provider);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeInitializer")
    public void addInitializer(GuestInitializer provider, Map<String, Object> properties) {
        providers.addInitializer(provider, properties);
    }

    public void removeInitializer(GuestInitializer provider) {
        providers.removeInitializer(provider);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeDhcp")
    public void addDhcp(DhcpServer server, Map<String, Object> properties) {
        providers.addDhcp(server, properties);
        try {
            timer.execute(leases::refresh); // serve at once, not only at the next report
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // deactivated meanwhile
        }
    }

    public void removeDhcp(DhcpServer server) {
        providers.removeDhcp(server);
    }
}
