package io.skiff.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.skiff.api.model.CellReport;
import io.skiff.api.model.CellStatus;
import io.skiff.api.model.DiskSpec;
import io.skiff.api.model.InstanceSpec;
import io.skiff.api.model.InstanceState;
import io.skiff.api.model.InstanceStatus;
import io.skiff.api.model.TaskInfo;
import io.skiff.api.model.TaskState;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.spi.GuestProfile;
import io.skiff.cell.internal.InstanceAgent;
import io.skiff.core.internal.CellRegistry;
import io.skiff.core.internal.CellRegistryConfig;
import io.skiff.core.internal.ComputePoolServiceImpl;
import io.skiff.core.internal.InventoryLock;
import io.skiff.core.internal.image.ImageCatalog;
import io.skiff.core.internal.instance.CellCalls;
import io.skiff.core.internal.instance.InstanceCapabilities;
import io.skiff.core.internal.instance.SchedulerConfig;
import io.skiff.core.internal.json.Json;
import io.skiff.core.internal.state.JournalStateStore;
import io.skiff.core.internal.task.JournaledTaskEngine;
import io.skiff.core.internal.task.UndoHandlers;
import io.skiff.placement.leastloaded.internal.LeastLoadedPlacement;
import io.skiff.profiles.standard.internal.ProfileConfig;
import io.skiff.profiles.standard.internal.StandardGuestProfile;
import io.skiff.transport.internal.FailureDetection;
import io.skiff.transport.internal.JGroupsTransport;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.annotation.Annotation;
import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * SCALE SIMULATION on libvirt's {@code test:///} driver — never a real hypervisor, no guest ever runs.
 *
 * <p>Builds, in one JVM and without OSGi, the real Core (journaled state store, task engine, cell registry, compute
 * pools, image catalogue, instance manager with the least-loaded placement) and N {@link SimulatedCells}, each with its
 * own real cluster transport (JGroups, TCP + TCPPING on 127.0.0.1 only) and a real {@link InstanceAgent} driving the
 * real libvirt hypervisor and local storage providers on a {@code test:///} connection. Each simulated cell publishes
 * a fake but plausible {@link CellReport} every 2 s itself (the real {@code CellAgent} needs a BundleContext). Then it
 * creates M instances through {@code InstanceService.create} ({@link InstanceCapabilities#lifecycle()}) from K
 * submitter threads and reports instances/s, task failures, the distribution over cells, list latency, and the heap
 * after a GC.
 *
 * <pre>mvn -q -f benchmarks/pom.xml compile exec:java -Dexec.mainClass=io.skiff.benchmarks.ScaleSimulation \
 *     -Dskiff.scale.cells=10 -Dskiff.scale.instances=1000</pre>
 *
 * <p>Settings (system properties, see {@link Settings#fromSystemProperties()} and benchmarks/README.md).
 */
public final class ScaleSimulation {

    static final String LABEL = "SIMULATION (libvirt test:/// driver)";
    static final long GIB = 1L << 30;
    static final long MIB = 1L << 20;
    /**
     * FD_SOCK2 listens at the transport port + 100: each node's port is the next one whose port + 100 is free too (see
     * {@link #freePort}), so past the first hundred the nodes skip the block their failure detection took.
     */
    static final int MAX_CELLS = 250;

    /**
     * What to simulate.
     *
     * @param dir working directory (emptied first, deleted afterwards unless {@code keep})
     * @param cells simulated cells
     * @param instances instances to create
     * @param submitters concurrent threads calling {@code create}
     * @param engineThreads task engine threads (the Core's default is 8)
     * @param listCalls timed calls of each list at the end
     * @param basePort first loopback port (Core); cell i gets basePort + i, failure detection + 100
     * @param cpusPerCell CPUs each cell reports; 0 = 64, raised so that the instances fit at 4 vCPU per CPU
     * @param libvirt {@code per-cell}: each cell its own private test driver ({@code test:///<file>});
     *                {@code shared}: every cell on the one {@code test:///default} of the process
     * @param timeout how long the creates may take before the run is cut short
     * @param keep keep the working directory
     */
    public record Settings(Path dir, int cells, int instances, int submitters, int engineThreads, int listCalls,
                           int basePort, int cpusPerCell, String libvirt, Duration timeout, boolean keep) {

        static Settings fromSystemProperties() {
            return new Settings(Paths.get(System.getProperty("skiff.scale.dir", "target/scale-simulation")),
                    Integer.getInteger("skiff.scale.cells", 10),
                    Integer.getInteger("skiff.scale.instances", 1000),
                    Integer.getInteger("skiff.scale.submitters", 8),
                    Integer.getInteger("skiff.scale.engine.threads", 8),
                    Integer.getInteger("skiff.scale.list.calls", 50),
                    Integer.getInteger("skiff.scale.port", 28000),
                    Integer.getInteger("skiff.scale.cpus", 0),
                    System.getProperty("skiff.scale.libvirt", "per-cell"),
                    Duration.ofMinutes(Integer.getInteger("skiff.scale.timeout.minutes", 15)),
                    Boolean.getBoolean("skiff.scale.keep"));
        }

        int effectiveCpus() {
            return cpusPerCell > 0 ? cpusPerCell : SimulatedCells.cpusFor(instances, cells);
        }

        boolean sharedLibvirt() {
            return "shared".equals(libvirt);
        }
    }

    /** A timed list call. */
    public record Latency(String what, int calls, int items, double p50Millis, double p99Millis, double maxMillis) {
    }

    /** Everything measured. */
    public record Result(Settings settings, int cpusPerCell, double startSeconds, int submitted, int submitFailures,
                         int succeeded, int failed, int unfinished, double wallSeconds, double submitP50Millis,
                         double submitP99Millis, double taskP50Millis, double taskP99Millis,
                         Map<String, Integer> perCell, Map<String, Integer> domainsPerCell, int running,
                         List<Latency> latencies, double heapAfterGcMiB, long journalBytes, List<String> errors) {

        public double instancesPerSecond() {
            return wallSeconds == 0 ? 0 : succeeded / wallSeconds;
        }
    }

    private ScaleSimulation() {
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        Settings settings = Settings.fromSystemProperties();
        PrintStream out = System.out;
        out.println("=== " + LABEL + " ===");
        out.println("Real Core + " + settings.cells() + " simulated cells in one JVM, JGroups on 127.0.0.1 only; "
                + "no guest runs, libvirt is its in-process test driver.");
        Files.createDirectories(settings.dir());
        MachineInfo.print(settings.dir(), out);
        String options = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("-X")).collect(Collectors.joining(" "));
        out.printf(Locale.ROOT, "  %-13s %d MiB max heap, %s%n", "sim JVM:", Runtime.getRuntime().maxMemory() >> 20,
                options.isEmpty() ? "default options (exec:java runs in Maven's JVM: set MAVEN_OPTS)" : options);
        out.println();
        Result result = run(settings, out);
        if (result.failed() > 0 || result.submitFailures() > 0 || result.unfinished() > 0) {
            System.exit(1);
        }
        System.exit(0); // JGroups and libvirt leave non-daemon threads behind in some versions
    }

    // ---- the run -------------------------------------------------------------------------------------------------

    public static Result run(Settings s, PrintStream log) throws Exception {
        if (s.cells() < 1 || s.cells() > MAX_CELLS) {
            throw new IllegalArgumentException("cells must be 1 to " + MAX_CELLS + ", not " + s.cells());
        }
        Path dir = s.dir().toAbsolutePath().normalize();
        deleteTree(dir);
        Files.createDirectories(dir);
        try (Simulation sim = new Simulation(s, dir, log)) {
            long t0 = System.nanoTime();
            sim.start();
            double startSeconds = (System.nanoTime() - t0) / 1e9;
            log.printf(Locale.ROOT, "[sim] Core and %d cells up in %.1f s (all cells online, in pool '%s')%n",
                    s.cells(), startSeconds, Simulation.POOL);
            Result result = sim.workload(startSeconds);
            // print before tearing down: closing with tasks still queued (after a time-out) can take a while
            print(result, log);
            return result;
        } finally {
            if (!s.keep()) {
                deleteTree(dir);
            } else {
                log.println("[sim] kept " + dir);
            }
        }
    }

    /** The wired-up Core and cells. */
    static final class Simulation implements AutoCloseable {
        static final String POOL = "sim";
        /** The simulation's caller (no identity service: it sees every instance). */
        static final AuthenticatedUser USER = new AuthenticatedUser("scale-sim", Set.of("admin"));

        private final Settings s;
        private final Path dir;
        /** Where the cells keep their files: {@link #dir}, or {@code skiff.scale.cells.dir}/domain. */
        private final Path cellsDir;
        private final PrintStream log;
        private final String domain = "skiff-scale-sim-" + UUID.randomUUID().toString().substring(0, 8);
        private final int cpus;
        private final ObjectMapper transportMapper = SimulatedCells.transportMapper();
        private final List<AutoCloseable> closers = new ArrayList<>();
        private List<SimulatedCells.Cell> cells = List.of();

        private JournalStateStore store;
        private JournaledTaskEngine engine;
        private CellRegistry registry;
        private ComputePoolServiceImpl pools;
        private InstanceCapabilities instances;
        private JGroupsTransport coreTransport;

        Simulation(Settings s, Path dir, PrintStream log) {
            this.s = s;
            this.dir = dir;
            String cellsDir = System.getProperty("skiff.scale.cells.dir", "");
            this.cellsDir = cellsDir.isBlank() ? dir : Paths.get(cellsDir).toAbsolutePath().resolve(domain);
            this.log = log;
            this.cpus = s.effectiveCpus();
        }

        void start() throws Exception {
            if (!cellsDir.equals(dir)) {
                log.println("[sim] the cells' files in " + cellsDir + " (the Core's journal stays in " + dir + ")");
                closers.add(() -> deleteTree(cellsDir));
            }
            Path key = dir.resolve("cluster.key");
            int corePort = freePort(s.basePort());
            // ---- Core
            store = new JournalStateStore(dir.resolve("core-state"), Json.newObjectMapper(), 10_000);
            closers.add(store);
            FailureDetection detection = SimulatedCells.failureDetection(
                    Integer.getInteger("skiff.scale.failure.detection.ms", 0));
            coreTransport = SimulatedCells.loopbackTransport(domain, "core", corePort, corePort, key, transportMapper,
                    detection);
            closers.add(coreTransport);
            InventoryLock lock = new InventoryLock();
            registry = new CellRegistry(store, lock, coreTransport, config(CellRegistryConfig.class,
                    Map.of("offlineAfterSeconds", 6, "checkIntervalMillis", 1000)), null);
            closers.add(() -> Lifecycle.deactivate(registry));
            pools = new ComputePoolServiceImpl(store, lock);
            engine = new JournaledTaskEngine(store, s.engineThreads(), Clock.systemUTC(),
                    JournaledTaskEngine.DEFAULT_RETAIN_FINISHED, new UndoHandlers());
            ImageCatalog images = new ImageCatalog(store, lock, engine, dir.resolve("core-images"), Clock.systemUTC());
            instances = new InstanceCapabilities(store, engine, registry, pools, images, coreTransport,
                    config(SchedulerConfig.class, Map.of("cellRequestWindow",
                            Integer.getInteger("skiff.scale.window", CellCalls.DEFAULT_WINDOW))));
            closers.add(instances::close);
            instances.undoHandlers().forEach(engine.undoHandlers()::add);
            engine.start();
            closers.add(() -> engine.close());
            GuestProfile profile = linuxVirtio();
            instances.addProfile(profile);
            instances.addPolicy(new LeastLoadedPlacement(), "least-loaded");

            // ---- cells
            SimulatedCells simulated = new SimulatedCells(new SimulatedCells.Settings(domain, key, corePort,
                    corePort + 1, cellsDir, cpus, s.sharedLibvirt(), "cell-", detection), log);
            closers.add(simulated);
            simulated.start(s.cells(), profile);
            cells = simulated.cells();
            log.printf(Locale.ROOT, "[sim] %d cell transports joined; the Core sees %d members%n", cells.size(),
                    coreTransport.members().size());
            await("all " + s.cells() + " cells online", Duration.ofSeconds(30 + 3L * s.cells()),
                    () -> registry.list().stream().filter(c -> c.status() == CellStatus.ONLINE
                            && c.resources() != null).count() == s.cells(),
                    () -> registry.list().stream().filter(c -> c.status() == CellStatus.ONLINE).count()
                            + " online, Core sees " + coreTransport.members().size() + " members");
            simulated.awaitFirstResync();
            pools.create(POOL, "scale simulation");
            for (SimulatedCells.Cell c : cells) {
                registry.addToPool(c.id(), POOL);
            }
        }

        Result workload(double startSeconds) throws Exception {
            int m = s.instances();
            log.printf(Locale.ROOT, "[sim] creating %d instances (1 core, 64 MiB, one empty 1 GiB disk) from %d "
                    + "submitter threads; cells report %d CPUs, 256 GiB%n", m, s.submitters(), cpus);
            AtomicInteger next = new AtomicInteger();
            AtomicInteger submitFailures = new AtomicInteger();
            AtomicLong lastDone = new AtomicLong();
            List<String> errors = Collections.synchronizedList(new ArrayList<>());
            ConcurrentLinkedQueue<CompletableFuture<TaskInfo>> futures = new ConcurrentLinkedQueue<>();
            long[] submitNanos = new long[m];
            AtomicInteger doneCount = new AtomicInteger();
            CountDownLatch submittersDone = new CountDownLatch(s.submitters());
            long deadline = System.nanoTime() + s.timeout().toNanos();
            long start = System.nanoTime();
            for (int k = 0; k < s.submitters(); k++) {
                Thread t = new Thread(() -> {
                    try {
                        int i;
                        while ((i = next.getAndIncrement()) < m && System.nanoTime() < deadline) {
                            InstanceSpec spec = new InstanceSpec(String.format(Locale.ROOT, "sim-%06d", i), POOL,
                                    null, 1, 64 * MIB, List.of(new DiskSpec(GIB, null, null)), "linux-virtio",
                                    null, false);
                            long t1 = System.nanoTime();
                            try {
                                TaskInfo task = instances.lifecycle().create(spec, USER);
                                submitNanos[i] = System.nanoTime() - t1;
                                futures.add(engine.completion(task.id()).whenComplete((info, e) -> {
                                    lastDone.accumulateAndGet(System.nanoTime(), Math::max);
                                    doneCount.incrementAndGet();
                                }));
                            } catch (RuntimeException e) {
                                submitNanos[i] = System.nanoTime() - t1;
                                submitFailures.incrementAndGet();
                                if (errors.size() < 5) {
                                    errors.add("create " + spec.name() + ": " + e.getMessage());
                                }
                            }
                        }
                    } finally {
                        submittersDone.countDown();
                    }
                }, "sim-submitter-" + k);
                t.setDaemon(true);
                t.start();
            }
            // progress every 10 s
            long lastPrint = System.nanoTime();
            int lastDoneCount = 0;
            while (true) {
                boolean submitting = submittersDone.getCount() > 0;
                if (!submitting && doneCount.get() >= futures.size()) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    log.println("[sim] time-out of " + s.timeout().toMinutes() + " min reached; stopping");
                    break;
                }
                Thread.sleep(50);
                if (System.nanoTime() - lastPrint > 10_000_000_000L) {
                    long now = System.nanoTime();
                    int done = doneCount.get();
                    double rate = (done - lastDoneCount) / ((now - lastPrint) / 1e9);
                    long t = System.nanoTime();
                    int listed = instances.lifecycle().list().size();
                    double listMs = (System.nanoTime() - t) / 1e6;
                    log.printf(Locale.ROOT, "[sim] %5.0f s: %d submitted, %d finished (%.1f/s in the last 10 s); "
                                    + "one InstanceService.list() of %d: %.0f ms%n", (now - start) / 1e9,
                            Math.min(next.get(), m), done, rate, listed, listMs);
                    lastPrint = now;
                    lastDoneCount = done;
                }
            }
            submittersDone.await(30, TimeUnit.SECONDS);
            long end = lastDone.get() == 0 ? System.nanoTime() : lastDone.get();
            double wall = (end - start) / 1e9;

            int succeeded = 0;
            int failed = 0;
            int unfinished = 0;
            List<Long> taskMillis = new ArrayList<>();
            for (CompletableFuture<TaskInfo> f : futures) {
                if (!f.isDone()) {
                    unfinished++;
                    continue;
                }
                try {
                    TaskInfo info = f.join();
                    if (info.state() == TaskState.SUCCEEDED) {
                        succeeded++;
                    } else {
                        failed++;
                        if (errors.size() < 10) {
                            errors.add("task " + info.id() + " " + info.state() + ": " + info.error());
                        }
                    }
                    if (info.createdAt() != null && info.finishedAt() != null) {
                        taskMillis.add(Duration.between(info.createdAt(), info.finishedAt()).toMillis());
                    }
                } catch (RuntimeException e) {
                    failed++;
                    if (errors.size() < 10) {
                        errors.add("task future: " + e);
                    }
                }
            }
            int submitted = Math.min(next.get(), m) - submitFailures.get();
            List<Double> submitMs = new ArrayList<>();
            for (int i = 0; i < Math.min(next.get(), m); i++) {
                if (submitNanos[i] > 0) {
                    submitMs.add(submitNanos[i] / 1e6);
                }
            }
            Collections.sort(submitMs);
            Collections.sort(taskMillis);

            // let one report round pass so that the Core has seen every instance's state
            Thread.sleep(2500);
            List<InstanceStatus> all = instances.lifecycle().list();
            Map<String, Integer> perCell = new TreeMap<>();
            for (SimulatedCells.Cell c : cells) {
                perCell.put(c.id(), 0);
            }
            int running = 0;
            for (InstanceStatus st : all) {
                perCell.merge(st.cellId() == null ? "(none)" : st.cellId(), 1, Integer::sum);
                if (st.state() == InstanceState.RUNNING) {
                    running++;
                }
            }
            Map<String, Integer> domains = new TreeMap<>();
            for (SimulatedCells.Cell c : cells) {
                domains.put(c.id(), c.hypervisor().domains().size());
            }

            List<Latency> latencies = new ArrayList<>();
            latencies.add(time("InstanceService.list()", s.listCalls(), () -> instances.lifecycle().list().size()));
            latencies.add(time("CellService.list()", s.listCalls(), () -> registry.list().size()));
            latencies.add(time("TaskEngine.list()", s.listCalls(), () -> engine.list().size()));
            latencies.add(time("InstanceService.get(name)", s.listCalls(),
                    () -> instances.lifecycle().get(String.format(Locale.ROOT, "sim-%06d", m / 2)) == null ? 0 : 1));

            double heap = heapAfterGc();
            long journal = sizeOf(dir.resolve("core-state"));
            return new Result(s, cpus, startSeconds, submitted, submitFailures.get(), succeeded, failed, unfinished,
                    wall, percentile(submitMs, 50), percentile(submitMs, 99),
                    percentile(taskMillis.stream().map(Long::doubleValue).toList(), 50),
                    percentile(taskMillis.stream().map(Long::doubleValue).toList(), 99),
                    perCell, domains, running, latencies, heap, journal, List.copyOf(errors));
        }

        @Override
        public void close() {
            // reverse order: the cells (reports, agents, providers, transports), the engine, then the Core's transport
            for (int i = closers.size() - 1; i >= 0; i--) {
                try {
                    closers.get(i).close();
                } catch (Exception e) {
                    log.println("[sim] close: " + e);
                }
            }
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    /** The standard {@code linux-virtio} profile, built by the profiles bundle's own checks. */
    static GuestProfile linuxVirtio() {
        return StandardGuestProfile.of(config(ProfileConfig.class, Map.of("name", "linux-virtio",
                "description", "Linux with virtio drivers (paravirtual disk, network and display)")));
    }

    static Latency time(String what, int calls, Supplier<Integer> call) {
        int items = 0;
        for (int i = 0; i < 3; i++) {
            items = call.get(); // warm-up
        }
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            long t = System.nanoTime();
            items = call.get();
            ms.add((System.nanoTime() - t) / 1e6);
        }
        Collections.sort(ms);
        return new Latency(what, calls, items, percentile(ms, 50), percentile(ms, 99),
                ms.isEmpty() ? 0 : ms.get(ms.size() - 1));
    }

    static double percentile(List<Double> sorted, int p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    static double heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (double) MIB;
    }

    static void await(String what, Duration limit, BooleanSupplier condition, Supplier<String> state)
            throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + limit.toSeconds() + " s waiting for " + what
                        + " (" + state.get() + ")");
            }
            Thread.sleep(50);
        }
    }

    /** The first port from {@code from} whose port and failure-detection port (+100) are free on loopback. */
    static int freePort(int from) {
        for (int p = from; p < from + 200 && p + 101 < 65536; p++) {
            if (free(p) && free(p + 100) && free(p + 101)) {
                return p;
            }
        }
        throw new IllegalStateException("no free loopback port from " + from);
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * An implementation of a configuration annotation (what OSGi's SCR builds from Config Admin): the given values,
     * the annotation's defaults for the rest.
     */
    @SuppressWarnings("unchecked")
    static <A extends Annotation> A config(Class<A> type, Map<String, Object> values) {
        return (A) java.lang.reflect.Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "annotationType":
                            return type;
                        case "toString":
                            return "@" + type.getSimpleName() + values;
                        case "hashCode":
                            return values.hashCode();
                        case "equals":
                            return proxy == args[0];
                        default:
                            break;
                    }
                    Object v = values.get(method.getName());
                    if (v == null) {
                        v = method.getDefaultValue();
                    }
                    if (v == null) {
                        throw new IllegalStateException(type.getSimpleName() + "." + method.getName()
                                + " has no default; the simulation must set it");
                    }
                    return v;
                });
    }

    /**
     * REFLECTION, clearly limited to the Declarative Services life-cycle methods: {@code LibvirtHypervisor.activate}
     * and the {@code deactivate} methods of LibvirtHypervisor, LocalStorageBackend and CellRegistry
     * are package-private (SCR calls them reflectively in Karaf, exactly as this does). No field is touched and no
     * other method is called this way.
     */
    static final class Lifecycle {
        private Lifecycle() {
        }

        static <A extends Annotation> void activate(Object component, Class<A> configType, A config) {
            invoke(component, "activate", new Class<?>[] {configType}, config);
        }

        static void deactivate(Object component) {
            invoke(component, "deactivate", new Class<?>[0]);
        }

        private static void invoke(Object component, String name, Class<?>[] types, Object... args) {
            try {
                Method m = component.getClass().getDeclaredMethod(name, types);
                m.setAccessible(true);
                m.invoke(component, args);
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                throw cause instanceof RuntimeException re ? re : new IllegalStateException(cause);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot call " + component.getClass().getSimpleName() + "." + name
                        + ": " + e, e);
            }
        }
    }

    static long sizeOf(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    // ---- output --------------------------------------------------------------------------------------------------

    public static void print(Result r, PrintStream out) {
        Settings s = r.settings();
        out.println();
        out.println("=== " + LABEL + ": results ===");
        out.printf(Locale.ROOT, "parameters: %d cells (%d CPUs, 256 GiB reported each; libvirt %s), %d instances, "
                        + "%d submitters, %d engine threads, %d list calls%n", s.cells(), r.cpusPerCell(),
                s.sharedLibvirt() ? "test:///default shared by all cells" : "test:///<file>, one private per cell",
                s.instances(), s.submitters(), s.engineThreads(), s.listCalls());
        out.println();
        out.printf(Locale.ROOT, "%-42s %14s%n", "figure", "value");
        row(out, "start-up (Core + cells online) s", fmt(r.startSeconds(), 1));
        row(out, "instances created (task succeeded)", Integer.toString(r.succeeded()));
        row(out, "task failures", Integer.toString(r.failed()));
        row(out, "create() refused", Integer.toString(r.submitFailures()));
        row(out, "tasks unfinished at the end", Integer.toString(r.unfinished()));
        row(out, "wall time, first submit to last done s", fmt(r.wallSeconds(), 1));
        row(out, "instances/s", fmt(r.instancesPerSecond(), 1));
        row(out, "create() call p50 / p99 ms", fmt(r.submitP50Millis(), 1) + " / " + fmt(r.submitP99Millis(), 1));
        row(out, "task duration p50 / p99 ms", fmt(r.taskP50Millis(), 0) + " / " + fmt(r.taskP99Millis(), 0));
        row(out, "instances RUNNING (Core's view)", Integer.toString(r.running()));
        row(out, "heap used after GC (whole sim JVM) MiB", fmt(r.heapAfterGcMiB(), 1));
        row(out, "Core journal + snapshots MiB", fmt(r.journalBytes() / (double) MIB, 1));
        out.println();
        out.printf(Locale.ROOT, "%-28s %6s %8s %8s %8s  (%s)%n", "list latency", "calls", "p50 ms", "p99 ms",
                "max ms", "items");
        for (Latency l : r.latencies()) {
            out.printf(Locale.ROOT, "%-28s %6d %8.2f %8.2f %8.2f  (%d)%n", l.what(), l.calls(), l.p50Millis(),
                    l.p99Millis(), l.maxMillis(), l.items());
        }
        out.println();
        out.printf(Locale.ROOT, "%-10s %10s %16s%n", "cell", "instances", "libvirt domains");
        Map<String, Integer> perCell = new LinkedHashMap<>(r.perCell());
        for (Map.Entry<String, Integer> e : perCell.entrySet()) {
            Integer d = r.domainsPerCell().get(e.getKey());
            out.printf(Locale.ROOT, "%-10s %10d %16s%n", e.getKey(), e.getValue(), d == null ? "-" : d.toString());
        }
        IntSummary sum = IntSummary.of(perCell.values());
        out.printf(Locale.ROOT, "per cell: min %d, max %d, mean %.1f%n", sum.min, sum.max, sum.mean);
        if (!r.errors().isEmpty()) {
            out.println();
            out.println("first errors:");
            r.errors().forEach(e -> out.println("  " + e));
        }
        out.println("(" + LABEL + " — not a real hypervisor; no guest ran.)");
    }

    private record IntSummary(int min, int max, double mean) {
        static IntSummary of(java.util.Collection<Integer> values) {
            return new IntSummary(values.stream().mapToInt(Integer::intValue).min().orElse(0),
                    values.stream().mapToInt(Integer::intValue).max().orElse(0),
                    values.stream().mapToInt(Integer::intValue).average().orElse(0));
        }
    }

    private static void row(PrintStream out, String what, String value) {
        out.printf(Locale.ROOT, "%-42s %14s%n", what, value);
    }

    private static String fmt(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
