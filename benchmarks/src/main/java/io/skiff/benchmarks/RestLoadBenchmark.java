package io.skiff.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import io.skiff.transport.internal.FailureDetection;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * REST-level load on the real distribution with SIMULATED cells: the Core is the real distribution in Karaf (REST,
 * authentication, operation log, task engine, journal, all of it), started as {@code bin/karaf server} on loopback
 * as {@link StartupBenchmark} starts it, in a cluster domain and on ports of its own; the cells are
 * {@link SimulatedCells} — SIMULATION on libvirt's {@code test:///} driver, no guest ever runs — served from a second
 * JVM ({@link SimulatedCellsMain}) that joins the Core over the cluster transport (JGroups, TCP + TCPPING on
 * 127.0.0.1 only, never multicast) with the key the Core wrote. Both JVMs share the machine's CPUs. Run by hand (never
 * by the build):
 *
 * <pre>mvn -q -f benchmarks/pom.xml compile exec:java -Dexec.mainClass=io.skiff.benchmarks.RestLoadBenchmark \
 *     [-Dbench.cells=10] [-Dbench.instances=2000] [-Dbench.create.clients=16] [-Dbench.clients=50]</pre>
 *
 * <p>The run: unpack and start the node with an admin password, sign in ({@code POST /sessions}); start the cells'
 * JVM and wait until {@code GET /cells} shows them all ONLINE with resources (and their agents' first re-sync has
 * passed, see {@link SimulatedCells#awaitFirstResync()}); create compute pool {@code sim} and add every simulated
 * cell. Then, all with one bearer token:
 * <ol>
 *   <li><b>creates</b>: {@code bench.instances} {@code POST /instances} from {@code bench.create.clients}
 *       connections at once (see {@link InstanceCreateLoad}), then the wait until every task has ended: the POSTs'
 *       latencies, and instances/s from the first POST to the last task ended;</li>
 *   <li><b>lists</b>, the cells still serving: {@code GET /instances?limit=100} from {@code bench.clients}
 *       connections ({@code bench.calls} each), then one after the other ({@code bench.sequential.calls} each) the
 *       whole {@code GET /instances}, {@code GET /instances?limit=100&total=true}, {@code GET /tasks?limit=100},
 *       {@code GET /cells} and {@code GET /metrics};</li>
 *   <li><b>mixed</b>: {@code bench.mixed.instances} more creates while {@code bench.clients} connections list
 *       {@code GET /instances?limit=100} until those creates have ended (0 skips it);</li>
 *   <li>the Karaf JVM's heap after a full GC ({@code jcmd GC.run}, {@code GC.heap_info}) and its RSS. The cells'
 *       JVM is not measured: it is the test driver.</li>
 * </ol>
 * It stops both JVMs (also when it fails or is interrupted: shutdown hooks kill the Karaf process tree and the cells'
 * JVM, which also ends by itself when this JVM's end of its standard input closes) and exits non-zero when a create
 * was refused, failed or did not end.
 *
 * <p>Settings (system properties, the {@code skiff.} form wins): {@code bench.distribution} (the assembly's tar.gz),
 * {@code bench.load.dir} ({@code benchmarks/target/rest-load}: the node's home, the cells' files and their log,
 * replaced by each run), {@code bench.cells} (10, at most 250), {@code bench.cell.cpus} (CPUs each cell reports; 0 =
 * enough for the instances at 4 vCPUs per CPU, at least 64), {@code bench.instances} (2000),
 * {@code bench.create.clients} (16), {@code bench.clients} (50), {@code bench.calls} (40),
 * {@code bench.sequential.calls} (20), {@code bench.mixed.instances} (500), {@code bench.http.port} (8781; SSH and RMI
 * and HTTPS take the next four), {@code bench.transport.port} (7985; failure detection + 100), {@code bench.cell.port} (28200,
 * the first cell's; taken ports are skipped), {@code bench.timeout.seconds} (300, for the start and the cells to come
 * online), {@code bench.create.timeout.minutes} (15 per batch of creates), {@code bench.java.opts} (Karaf's
 * {@code EXTRA_JAVA_OPTS}), {@code bench.sim.java.opts} (the cells' JVM's options, e.g. {@code -Xmx2g}),
 * {@code bench.failure.detection.ms} (0: the transport's 3 s; the Core's {@code failureDetectionTimeoutMs} and the
 * cells' alike — with 100 cells on 2 CPUs heartbeats come late and the view breaks apart at 3 s).
 */
public final class RestLoadBenchmark {

    static final String POOL = "sim";

    /** What to run; see the class comment. */
    record Settings(Path distribution, Path dir, int cells, int cellCpus, int instances, int createClients,
                    int clients, int calls, int sequentialCalls, int mixedInstances, int httpPort, int transportPort,
                    int cellPort, Duration timeout, Duration createTimeout, String javaOpts, String simJavaOpts,
                    int failureDetectionMs) {

        static Settings fromSystemProperties() {
            return new Settings(
                    Path.of(property("bench.distribution",
                            "karaf-assembly/target/skiff-assembly-0.1.0-SNAPSHOT.tar.gz")),
                    Path.of(property("bench.load.dir", "benchmarks/target/rest-load")),
                    number("bench.cells", 10),
                    number("bench.cell.cpus", 0),
                    number("bench.instances", 2000),
                    number("bench.create.clients", 16),
                    number("bench.clients", 50),
                    number("bench.calls", 40),
                    number("bench.sequential.calls", 20),
                    number("bench.mixed.instances", 500),
                    number("bench.http.port", 8781),
                    number("bench.transport.port", 7985),
                    number("bench.cell.port", 28200),
                    Duration.ofSeconds(number("bench.timeout.seconds", 300)),
                    Duration.ofMinutes(number("bench.create.timeout.minutes", 15)),
                    property("bench.java.opts", ""),
                    property("bench.sim.java.opts", ""),
                    number("bench.failure.detection.ms", 0));
        }

        private static String property(String name, String fallback) {
            return StartupBenchmark.Settings.property(name, fallback);
        }

        private static int number(String name, int fallback) {
            return Integer.parseInt(property(name, Integer.toString(fallback)));
        }

        /** CPUs each simulated cell reports: enough for every instance of the run unless set. */
        int effectiveCellCpus() {
            return cellCpus > 0 ? cellCpus : SimulatedCells.cpusFor(instances + mixedInstances, cells);
        }
    }

    /** Everything measured. */
    record Result(InstanceCreateLoad.Result creates, InstanceCreateLoad.Result mixedCreates,
                  List<RestSession.Timing> timings, StartupBenchmark.HeapInfo heap, long rssKiB, String karafJvm,
                  double startSeconds, double cellsOnlineSeconds) {

        boolean clean() {
            return creates.clean() && (mixedCreates == null || mixedCreates.clean());
        }
    }

    private RestLoadBenchmark() {
    }

    public static void main(String[] args) {
        int exit;
        try {
            exit = run(Settings.fromSystemProperties(), System.out) ? 0 : 1;
        } catch (Exception e) {
            e.printStackTrace();
            exit = 2;
        }
        System.exit(exit); // the shutdown hooks kill whatever still runs
    }

    /** @return whether every create succeeded */
    static boolean run(Settings s, PrintStream out) throws Exception {
        if (!Files.isRegularFile(s.distribution())) {
            throw new IllegalStateException("no distribution at " + s.distribution().toAbsolutePath()
                    + "; build it first: mvn -B -o -q install -DskipTests (from the project root)");
        }
        Path dir = s.dir().toAbsolutePath().normalize();
        Files.createDirectories(dir);
        out.printf(Locale.ROOT, "=== Skiff REST load: the real distribution (Core, REST, auth) with %d cells of a "
                        + "%s in another JVM; %s ===%n", s.cells(), ScaleSimulation.LABEL,
                ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        MachineInfo.print(dir, out);
        out.println("  Karaf JVM:    " + (s.javaOpts().isEmpty() ? "the distribution's default options"
                : "EXTRA_JAVA_OPTS=" + s.javaOpts()));
        out.println("  cells' JVM:   " + (s.simJavaOpts().isEmpty() ? "default options" : s.simJavaOpts())
                + " (both JVMs and this driver share the machine's CPUs)");
        out.println("  driver JVM:   " + ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("-X")).toList() + " (exec:java runs in Maven's JVM)");
        out.println("  failure det.: " + (s.failureDetectionMs() == 0 ? "the transport's default, "
                + FailureDetection.DEFAULT.timeout().toMillis() + " ms"
                : s.failureDetectionMs() + " ms (Core and cells)"));
        out.println();

        String domain = "skiff-rest-load-" + UUID.randomUUID().toString().substring(0, 8);
        int httpPort = StartupBenchmark.freePortBase(s.httpPort());
        StartupBenchmark.awaitTransportPortFree(s.transportPort());
        StartupBenchmark.Node node = StartupBenchmark.Node.unpack(s.distribution(), dir.resolve("node"), httpPort,
                s.transportPort(), domain);
        if (s.failureDetectionMs() > 0) {
            FailureDetection d = SimulatedCells.failureDetection(s.failureDetectionMs());
            Files.writeString(node.home.resolve("etc/io.skiff.transport.cfg"), String.join("\n",
                    "failureDetectionTimeoutMs = " + d.timeout().toMillis(),
                    "failureDetectionIntervalMs = " + d.interval().toMillis(),
                    "verifySuspectTimeoutMs = " + d.verifySuspectTimeout().toMillis(), ""),
                    StandardOpenOption.APPEND);
        }
        SimulatedCellsProcess[] cells = new SimulatedCellsProcess[1];
        // never leave a Karaf or the cells' JVM behind, also when interrupted (Ctrl-C ends the Maven JVM)
        Thread hook = new Thread(() -> {
            if (cells[0] != null) {
                cells[0].killQuietly();
            }
            node.killQuietly();
        }, "kill-rest-load");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            String password = "bench-" + UUID.randomUUID();
            node.start(StartupBenchmark.Node.environment(password, s.javaOpts()));
            double startSeconds = node.awaitUp(s.timeout());
            long pid = node.javaPid();
            String karafJvm = StartupBenchmark.jvmFlags(StartupBenchmark.jcmd(pid, "VM.flags"));
            out.printf(Locale.ROOT, "node UP in %.1f s: HTTP 127.0.0.1:%d, transport 127.0.0.1:%d, domain %s, "
                    + "JVM pid %d (%s)%n", startSeconds, httpPort, s.transportPort(), domain, pid, karafJvm);
            RestSession rest = new RestSession(httpPort, password);

            Path key = node.home.resolve("etc/skiff-cluster.key");
            if (!Files.isRegularFile(key)) {
                throw new IllegalStateException("the node wrote no cluster key at " + key);
            }
            long t0 = System.nanoTime();
            cells[0] = SimulatedCellsProcess.start(new SimulatedCellsMain.Arguments(domain, key, s.transportPort(),
                    s.cells(), s.cellPort(), dir.resolve("cells"), s.effectiveCellCpus(), s.failureDetectionMs()),
                    SimulatedCellsProcess.options(s.simJavaOpts()), dir.resolve("simulated-cells.log"));
            String ready = cells[0].awaitReady(s.timeout());
            out.printf(Locale.ROOT, "simulated cells' JVM pid %d (log %s): %s%n", cells[0].pid(), cells[0].log(),
                    ready);
            awaitCellsOnline(rest, s.cells(), s.timeout());
            double onlineSeconds = (System.nanoTime() - t0) / 1e9;
            out.printf(Locale.ROOT, "%d simulated cells ONLINE with resources %.1f s after their JVM started; "
                    + "pool '%s' holds them%n", s.cells(), onlineSeconds, POOL);
            addToPool(rest, s.cells());

            Result result = workload(s, rest, node, out, karafJvm, startSeconds, onlineSeconds);
            print(s, result, out);
            return result.clean();
        } finally {
            if (cells[0] != null) {
                cells[0].close();
            }
            node.stop(Duration.ofSeconds(60));
            node.killQuietly();
            removeHook(hook);
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }

    /** Waits until {@code GET /cells} shows every simulated cell ONLINE with resources. */
    static void awaitCellsOnline(RestSession rest, int count, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long online = 0;
        while (System.nanoTime() < deadline) {
            online = 0;
            for (JsonNode cell : rest.getJson("/cells")) {
                if (cell.path("id").asText().startsWith(SimulatedCellsMain.ID_PREFIX)
                        && "ONLINE".equals(cell.path("status").asText()) && !cell.path("resources").isNull()
                        && !cell.path("resources").isMissingNode()) {
                    online++;
                }
            }
            if (online == count) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("only " + online + " of " + count + " simulated cells ONLINE after "
                + timeout.toSeconds() + " s");
    }

    private static void addToPool(RestSession rest, int count) throws Exception {
        rest.post("/pools", Map.of("name", POOL, "description", "REST load: " + ScaleSimulation.LABEL), 201);
        for (int i = 0; i < count; i++) {
            String id = String.format(Locale.ROOT, "%s%02d", SimulatedCellsMain.ID_PREFIX, i);
            rest.post("/cells/" + id + "/add-to-pool", Map.of("pool", POOL), 200);
        }
    }

    static Result workload(Settings s, RestSession rest, StartupBenchmark.Node node, PrintStream out,
                           String karafJvm, double startSeconds, double onlineSeconds) throws Exception {
        out.printf(Locale.ROOT, "creates: %d x POST /instances (1 core, 64 MiB, one empty 1 GiB disk, linux-virtio) "
                + "from %d connections; cells report %d CPUs, 256 GiB%n", s.instances(), s.createClients(),
                s.effectiveCellCpus());
        InstanceCreateLoad.Result creates = new InstanceCreateLoad(rest, POOL, "load-", s.instances(),
                s.createClients(), s.createTimeout(), out).run();
        out.printf(Locale.ROOT, "creates: %d accepted, %d instances, every task ended %.1f s after the first POST%n",
                creates.accepted(), creates.created(), creates.wallSeconds());

        List<RestSession.Timing> timings = new ArrayList<>();
        timings.add(creates.posts());
        out.println("lists after the creates, the cells still serving ...");
        timings.addAll(rest.lists(s.clients(), s.calls(), s.sequentialCalls(), true));

        InstanceCreateLoad.Result mixed = null;
        if (s.mixedInstances() > 0) {
            out.printf(Locale.ROOT, "mixed: %d more creates from %d connections while %d connections list%n",
                    s.mixedInstances(), s.createClients(), s.clients());
            AtomicBoolean creating = new AtomicBoolean(true);
            CompletableFuture<InstanceCreateLoad.Result> during = CompletableFuture.supplyAsync(() -> {
                try {
                    return new InstanceCreateLoad(rest, POOL, "mixed-", s.mixedInstances(), s.createClients(),
                            s.createTimeout(), out).run();
                } catch (Exception e) {
                    throw new CompletionException(e);
                } finally {
                    creating.set(false);
                }
            });
            RestSession.Timing lists = rest.concurrentWhile("GET /instances?limit=100 during creates",
                    "/instances?limit=100", s.clients(), creating::get);
            mixed = during.join();
            timings.add(new RestSession.Timing(mixed.posts().what() + " during lists", mixed.posts().calls(),
                    mixed.posts().seconds(), mixed.posts().millis(), mixed.posts().bytes()));
            timings.add(lists);
        }

        long pid = node.javaPid();
        long rss = StartupBenchmark.rssKiB(pid);
        StartupBenchmark.jcmd(pid, "GC.run");
        StartupBenchmark.HeapInfo heap = StartupBenchmark.parseHeapInfo(StartupBenchmark.jcmd(pid, "GC.heap_info"));
        return new Result(creates, mixed, timings, heap, rss, karafJvm, startSeconds, onlineSeconds);
    }

    static void print(Settings s, Result r, PrintStream out) {
        out.println();
        out.println("=== REST load: results (Core: the real distribution; cells: " + ScaleSimulation.LABEL + ") ===");
        out.printf(Locale.ROOT, "parameters: %d simulated cells (%d CPUs, 256 GiB reported each), %d instances from "
                        + "%d connections, lists from %d connections x %d calls, %d sequential calls, %d mixed "
                        + "creates%n", s.cells(), s.effectiveCellCpus(), s.instances(), s.createClients(),
                s.clients(), s.calls(), s.sequentialCalls(), s.mixedInstances());
        out.println();
        out.printf(Locale.ROOT, "%-52s %14s%n", "figure", "value");
        row(out, "node start to UP s", f(r.startSeconds(), 1));
        row(out, "cells' JVM start to all cells ONLINE s", f(r.cellsOnlineSeconds(), 1));
        creates(out, "", r.creates());
        if (r.mixedCreates() != null) {
            creates(out, "mixed: ", r.mixedCreates());
        }
        row(out, "Karaf JVM heap after full GC MiB", f(r.heap().heapUsedKiB() / 1024.0, 1));
        row(out, "Karaf JVM metaspace MiB", f(r.heap().metaspaceUsedKiB() / 1024.0, 1));
        row(out, "Karaf JVM RSS (before the GC) MiB", f(r.rssKiB() / 1024.0, 0));
        row(out, "Karaf JVM", r.karafJvm());
        out.println("(the cells' JVM is the test driver; its heap is not measured)");
        out.println();
        RestSession.Timing.print(r.timings(), out);
        List<String> errors = new ArrayList<>(r.creates().errors());
        if (r.mixedCreates() != null) {
            errors.addAll(r.mixedCreates().errors());
        }
        if (!errors.isEmpty()) {
            out.println();
            out.println("first errors:");
            errors.stream().distinct().limit(10).forEach(e -> out.println("  " + e));
        }
        out.println("(" + ScaleSimulation.LABEL + " for the cells — not a real hypervisor; no guest ran. "
                + (r.clean() ? "Every create succeeded." : "NOT every create succeeded.") + ")");
    }

    private static void creates(PrintStream out, String prefix, InstanceCreateLoad.Result c) {
        row(out, prefix + "creates accepted (202) / refused", c.accepted() + " / " + c.refused());
        row(out, prefix + "creates failed (accepted, left no instance)", Long.toString(c.failed()));
        row(out, prefix + "create tasks unfinished at the end", Long.toString(c.unfinished()));
        row(out, prefix + "instances RUNNING (Core's view)", c.running() + " of " + c.created());
        row(out, prefix + "wall, first POST to last task ended s", f(c.wallSeconds(), 1));
        row(out, prefix + "instances/s", f(c.instancesPerSecond(), 1));
    }

    private static void row(PrintStream out, String what, String value) {
        out.printf(Locale.ROOT, "%-52s %14s%n", what, value);
    }

    private static String f(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
