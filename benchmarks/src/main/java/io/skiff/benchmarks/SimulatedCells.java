package io.skiff.benchmarks;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.skiff.api.Skiff;
import io.skiff.api.model.CellReport;
import io.skiff.api.model.CellResources;
import io.skiff.api.spi.DiskAttachment;
import io.skiff.api.spi.GuestInitSpec;
import io.skiff.api.spi.GuestInitializer;
import io.skiff.api.spi.GuestProfile;
import io.skiff.cell.internal.InstanceAgent;
import io.skiff.cell.internal.InstanceAgentConfig;
import io.skiff.hypervisor.libvirt.internal.LibvirtHypervisor;
import io.skiff.hypervisor.libvirt.internal.LibvirtHypervisorConfig;
import io.skiff.storage.local.internal.LocalStorageBackend;
import io.skiff.storage.local.internal.LocalStorageConfig;
import io.skiff.transport.internal.FailureDetection;
import io.skiff.transport.internal.JGroupsTransport;
import io.skiff.transport.internal.TransportSettings;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * SIMULATION (libvirt test:/// driver): N simulated cells of one cluster domain, each with its own real
 * {@link JGroupsTransport} (TCP + TCPPING to the Core's port on 127.0.0.1 only, never multicast) and a real
 * {@link InstanceAgent} driving the real libvirt hypervisor and local storage providers on a private
 * {@code test:///<file>} connection (or the process's shared {@code test:///default}). No guest ever runs. The real
 * {@code CellAgent} needs a BundleContext, so each cell's {@link CellReport} is published by this class every 2 s:
 * fake but plausible figures whose available memory goes down with the instances the cell holds.
 *
 * <p>One class for the cells so that the same cells serve the Core of {@link ScaleSimulation} (in its JVM) and the
 * real distribution of {@link RestLoadBenchmark} (from a JVM of their own, {@link SimulatedCellsMain}).
 */
final class SimulatedCells implements AutoCloseable {

    static final String STORAGE_POOL = "skiff-sim";
    /** After the last agent started: its first report, hence its first re-sync with the hypervisor, has passed. */
    static final Duration FIRST_RESYNC = Duration.ofMillis(2500);

    /**
     * Where the cells are and what they report.
     *
     * @param domain the cluster domain (the Core's)
     * @param keyFile the cluster key file (the Core's)
     * @param corePort the Core's transport port on 127.0.0.1, the one TCPPING member
     * @param firstPort the first port tried for the cells; taken ports (or their failure detection port + 100) are
     *                  skipped, and each next cell starts one above the previous one
     * @param dataDir each cell keeps its files in {@code dataDir/<id>}
     * @param cpus CPUs each cell reports
     * @param sharedLibvirt every cell on the one {@code test:///default} of the process (a storage pool per cell)
     *                      instead of a private test driver each
     * @param idPrefix the cells' ids (and transport node names) are this plus {@code 00}, {@code 01}, ...
     * @param failureDetection the cells' failure detection (the Core's should be the same)
     */
    record Settings(String domain, Path keyFile, int corePort, int firstPort, Path dataDir, int cpus,
                    boolean sharedLibvirt, String idPrefix, FailureDetection failureDetection) {
    }

    /**
     * @param timeoutMs FD_ALL3's time-out in ms, 0 for the transport's default (3 s: right for hosts of their own, too
     *                  short for 100 simulated cells on 2 CPUs, where a busy JVM misses heartbeats and the view breaks)
     * @return that failure detection, a heartbeat every sixth of the time-out, suspicions verified in a third of it
     */
    static FailureDetection failureDetection(int timeoutMs) {
        if (timeoutMs == 0) {
            return FailureDetection.DEFAULT;
        }
        return new FailureDetection(Duration.ofMillis(timeoutMs), Duration.ofMillis(timeoutMs / 6),
                Duration.ofMillis(timeoutMs / 3));
    }

    /**
     * Memory a cell reports: room for as many 64 MiB instances as its CPUs take at the scheduler's default over-commit
     * (4 vCPUs per CPU; memory is not over-committed), at least 256 GiB. With a fixed 256 GiB, 20 cells held 81,920
     * instances and a run of 100,000 was refused the rest.
     */
    static long memoryFor(int cpus) {
        return Math.max(256 * ScaleSimulation.GIB, cpus * 4L * 64 * ScaleSimulation.MIB);
    }

    /** One simulated cell: its transport, agent and libvirt providers. */
    record Cell(String id, int port, JGroupsTransport transport, InstanceAgent agent, LibvirtHypervisor hypervisor,
                LocalStorageBackend storage, Path dataDir) {
    }

    private final Settings s;
    private final PrintStream log;
    private final ObjectMapper mapper = transportMapper();
    private final List<AutoCloseable> closers = new ArrayList<>();
    private final List<Cell> cells = new ArrayList<>();
    private ScheduledExecutorService reporter;
    private long lastAgentStarted;

    SimulatedCells(Settings s, PrintStream log) {
        this.s = s;
        this.log = log;
    }

    /**
     * CPUs a cell reports so that {@code instances} of 1 vCPU fit on {@code cells} cells at the scheduler's default
     * over-commit (4 vCPUs per CPU) with 25 % head room; at least 64.
     */
    static int cpusFor(int instances, int cells) {
        int needed = (int) Math.ceil(instances * 1.25 / (cells * 4.0));
        return Math.max(64, needed);
    }

    /** The JSON mapper of the transport, as the Core's and the Cell's bundles configure it. */
    static ObjectMapper transportMapper() {
        return new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .registerModule(new Jdk8Module())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /** A started transport bound to 127.0.0.1:{@code port}, TCP + TCPPING on the Core's port; never multicast. */
    static JGroupsTransport loopbackTransport(String domain, String node, int port, int corePort, Path key,
                                              ObjectMapper mapper, FailureDetection detection) throws Exception {
        TransportSettings settings = new TransportSettings(domain, node, "127.0.0.1", port, 0,
                TransportSettings.Discovery.TCP, List.of(new InetSocketAddress("127.0.0.1", corePort)),
                "228.8.8.8", 45588, key, Duration.ofSeconds(30), detection);
        JGroupsTransport t = new JGroupsTransport(settings, mapper);
        t.start();
        return t;
    }

    /** Starts {@code count} cells one after the other, then their reports. */
    void start(int count, GuestProfile profile) throws Exception {
        int port = s.firstPort() - 1;
        for (int i = 0; i < count; i++) {
            port = ScaleSimulation.freePort(port + 1);
            cells.add(startCell(String.format(Locale.ROOT, "%s%02d", s.idPrefix(), i), port, profile));
            lastAgentStarted = System.nanoTime();
        }
        reporter = Executors.newScheduledThreadPool(2, ScaleSimulation.daemon("sim-cell-report"));
        for (Cell c : cells) {
            reporter.scheduleAtFixedRate(() -> report(c), 0, 2, TimeUnit.SECONDS);
        }
    }

    List<Cell> cells() {
        return List.copyOf(cells);
    }

    /**
     * Waits until every cell's {@link InstanceAgent} has had its first report ({@link #FIRST_RESYNC} after the last
     * one started). The agent re-syncs with its hypervisor at its first report (or right after its first request if
     * that comes earlier). A re-sync that runs while a create is between "create volumes" and "define domain" defines
     * the domain itself and the Core's define then fails ("domain already exists"); a workload started after this
     * never meets that.
     */
    void awaitFirstResync() throws InterruptedException {
        long sinceLast = (System.nanoTime() - lastAgentStarted) / 1_000_000;
        if (sinceLast < FIRST_RESYNC.toMillis()) {
            Thread.sleep(FIRST_RESYNC.toMillis() - sinceLast);
        }
    }

    private Cell startCell(String id, int port, GuestProfile profile) throws Exception {
        Path data = s.dataDir().resolve(id);
        String uri;
        if (s.sharedLibvirt()) {
            uri = "test:///default";
        } else {
            // a private test driver per connection: its own (empty) host, so each cell sees only its domains
            Path node = data.resolve("test-driver-node.xml");
            Files.createDirectories(data);
            Files.writeString(node, "<node>\n</node>\n");
            uri = "test://" + node;
        }
        JGroupsTransport t = loopbackTransport(s.domain(), id, port, s.corePort(), s.keyFile(), mapper,
                s.failureDetection());
        closers.add(t);
        String storagePool = s.sharedLibvirt() ? STORAGE_POOL + "-" + id : STORAGE_POOL;
        InstanceAgent agent = new InstanceAgent(t, ScaleSimulation.config(InstanceAgentConfig.class, Map.of(
                "storageProvider", "local", "storagePool", storagePool, "reportIntervalMillis", 2000,
                "dataDir", data.toString(), "guestInitProvider", "simulated")), null);
        closers.add(agent::deactivate);
        LibvirtHypervisor hypervisor = new LibvirtHypervisor();
        ScaleSimulation.Lifecycle.activate(hypervisor, LibvirtHypervisorConfig.class,
                ScaleSimulation.config(LibvirtHypervisorConfig.class,
                        Map.of("uri", uri, "accel", "tcg", "probeTimeoutSeconds", 10)));
        closers.add(() -> ScaleSimulation.Lifecycle.deactivate(hypervisor));
        // the test driver never creates the pool's directory; the path is only a name there
        LocalStorageBackend storage = new LocalStorageBackend(ScaleSimulation.config(LocalStorageConfig.class, Map.of(
                "uri", uri, "poolName", storagePool, "path", "/skiff-scale-sim/" + id)));
        closers.add(() -> ScaleSimulation.Lifecycle.deactivate(storage));
        agent.addHypervisor(hypervisor, Map.of(Skiff.PROVIDER_PROPERTY, "libvirt"));
        agent.addStorage(storage, Map.of(Skiff.PROVIDER_PROPERTY, "local"));
        agent.addProfile(profile, Map.of());
        agent.addInitializer(new SeedlessInitializer(), Map.of(Skiff.PROVIDER_PROPERTY, "simulated"));
        return new Cell(id, port, t, agent, hypervisor, storage, data);
    }

    /** SIMULATION: a guest initializer without a seed (an empty CD-ROM drive), so no ISO is written per instance. */
    private static final class SeedlessInitializer implements GuestInitializer {
        @Override
        public DiskAttachment prepareSeed(String instanceId, GuestInitSpec spec) {
            return new DiskAttachment(null, "raw", "cdrom", true);
        }

        @Override
        public void removeSeed(String instanceId) {
            // nothing was written
        }
    }

    /** Fake but plausible host figures: memory available goes down by the instances the cell holds. */
    private void report(Cell c) {
        try {
            long held;
            Path files = c.dataDir().resolve("instances");
            if (Files.isDirectory(files)) {
                try (Stream<Path> list = Files.list(files)) {
                    held = list.filter(p -> p.getFileName().toString().endsWith(".json")).count();
                }
            } else {
                held = 0;
            }
            long total = memoryFor(s.cpus());
            long available = Math.max(0, total - 2 * ScaleSimulation.GIB - held * 64 * ScaleSimulation.MIB);
            CellResources r = new CellResources(s.cpus(), total, available, 2048 * ScaleSimulation.GIB,
                    1536 * ScaleSimulation.GIB, 0.5, Instant.now());
            c.transport().publish(CellReport.TYPE, new CellReport(c.transport().localNode(), "sim-" + c.id(),
                    "simulation", r));
        } catch (Exception e) {
            log.println("[sim] report of " + c.id() + " failed: " + e);
        }
    }

    /** Stops the reports, then each cell's agent, providers and transport, the last cell first. */
    @Override
    public void close() {
        if (reporter != null) {
            reporter.shutdownNow();
        }
        for (int i = closers.size() - 1; i >= 0; i--) {
            try {
                closers.get(i).close();
            } catch (Exception e) {
                log.println("[sim] close: " + e);
            }
        }
    }
}
