package io.skiff.benchmarks;

import io.skiff.api.model.DiskSpec;
import io.skiff.api.model.InstanceSpec;
import io.skiff.api.model.InstanceState;
import io.skiff.api.model.StepInfo;
import io.skiff.api.model.StepState;
import io.skiff.api.model.TaskInfo;
import io.skiff.api.model.TaskState;
import io.skiff.api.state.StateChange;
import io.skiff.core.internal.instance.InstanceRecord;
import io.skiff.core.internal.json.Json;
import io.skiff.core.internal.state.JournalStateStore;
import io.skiff.core.internal.task.JournaledTaskEngine;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The real distribution holding many instances: what a Core with 100,000 instances costs to restart, in heap, and to
 * answer lists and metrics through REST. Run by hand (never by the build):
 *
 * <pre>mvn -q -f benchmarks/pom.xml compile exec:java -Dexec.mainClass=io.skiff.benchmarks.StateAtScaleBenchmark \
 *     [-Dbench.instances=100000] [-Dbench.clients=50]</pre>
 *
 * <p>It unpacks the distribution (bound to loopback, its own ports and cluster domain, as {@link StartupBenchmark}),
 * then <em>seeds its state</em> before the first start with the Core's own {@link JournalStateStore}: N instance
 * records ({@code RUNNING}, 1 core, 64 MiB, one 1 GiB disk, spread over {@code bench.cells} cells that do not run —
 * <strong>no cell serves these instances; they are records only</strong>), {@code bench.tasks} finished create tasks
 * (the default retention), compacted into the snapshot, and then {@code bench.tail} updates of instance records left
 * in the journal to be replayed. It then times the start to {@code /api/v1/health} UP, reads the heap after a full
 * GC, and times, with a bearer token:
 * <ul>
 *   <li>{@code GET /instances?limit=100} from {@code bench.clients} concurrent clients ({@code bench.calls} each);</li>
 *   <li>the whole unpaged {@code GET /instances} (every instance), {@code GET /instances?limit=100&total=true}
 *       (counting all of them), {@code GET /tasks?limit=100} and {@code GET /metrics}, one after the other;</li>
 * </ul>
 * then stops the node and times a restart on the same data. {@code -Dbench.instances=0} gives the baseline: the same
 * distribution and calls with an empty state.
 */
public final class StateAtScaleBenchmark {

    private StateAtScaleBenchmark() {
    }

    record Settings(Path distribution, Path dir, int instances, int cells, int tasks, int tail, int clients,
                    int calls, int sequentialCalls, int httpPort, int transportPort, Duration timeout,
                    String javaOpts) {
        static Settings fromSystemProperties() {
            return new Settings(
                    Path.of(property("bench.distribution", "karaf-assembly/target/skiff-assembly-0.1.0-SNAPSHOT.tar.gz")),
                    Path.of(property("bench.scale.dir", "benchmarks/target/state-at-scale")),
                    Integer.parseInt(property("bench.instances", "100000")),
                    Integer.parseInt(property("bench.cells", "200")),
                    Integer.parseInt(property("bench.tasks", Integer.toString(JournaledTaskEngine.DEFAULT_RETAIN_FINISHED))),
                    Integer.parseInt(property("bench.tail", "10000")),
                    Integer.parseInt(property("bench.clients", "50")),
                    Integer.parseInt(property("bench.calls", "40")),
                    Integer.parseInt(property("bench.sequential.calls", "20")),
                    Integer.parseInt(property("bench.http.port", "8681")),
                    Integer.parseInt(property("bench.transport.port", "7975")),
                    Duration.ofSeconds(Long.parseLong(property("bench.timeout.seconds", "300"))),
                    property("bench.java.opts", ""));
        }

        private static String property(String name, String fallback) {
            return StartupBenchmark.Settings.property(name, fallback);
        }
    }

    public static void main(String[] args) throws Exception {
        Settings s = Settings.fromSystemProperties();
        if (!Files.isRegularFile(s.distribution())) {
            throw new IllegalStateException("no distribution at " + s.distribution().toAbsolutePath()
                    + "; build it first: mvn -B -o -q install -DskipTests (from the project root)");
        }
        PrintStream out = System.out;
        Files.createDirectories(s.dir());
        out.printf(Locale.ROOT, "Skiff state at scale: %,d instance records on %d cells that do not run (records only, "
                        + "no cell serves them), %,d finished tasks, %,d journal entries to replay; %s%n", s.instances(),
                s.cells(), s.tasks(), s.tail(), ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        MachineInfo.print(s.dir(), out);
        out.println("  Karaf JVM:    " + (s.javaOpts().isEmpty() ? "the distribution's default options"
                : "EXTRA_JAVA_OPTS=" + s.javaOpts()));
        out.println();

        Path home = s.dir().resolve("node");
        StartupBenchmark.Node node = StartupBenchmark.Node.unpack(s.distribution(), home, s.httpPort(),
                s.transportPort());
        Runtime.getRuntime().addShutdownHook(new Thread(node::killQuietly, "kill-karaf-node"));
        long t0 = System.nanoTime();
        long stateBytes = seed(home.resolve("data/skiff/state"), s);
        out.printf(Locale.ROOT, "seeded the state in %.1f s: %.1f MiB (snapshot + journal)%n",
                (System.nanoTime() - t0) / 1e9, stateBytes / 1048576.0);

        String password = "bench-" + UUID.randomUUID();
        Map<String, String> env = StartupBenchmark.Node.environment(password, s.javaOpts());
        try {
            node.start(env);
            double cold = node.awaitUp(s.timeout());
            out.printf(Locale.ROOT, "first start to UP: %.2f s%n", cold);
            Thread.sleep(5000);
            long pid = node.javaPid();
            StartupBenchmark.jcmd(pid, "GC.run");
            StartupBenchmark.HeapInfo heap = StartupBenchmark.parseHeapInfo(StartupBenchmark.jcmd(pid,
                    "GC.heap_info"));
            out.printf(Locale.ROOT, "heap after full GC: %.1f MiB (metaspace %.1f MiB), RSS %.0f MiB%n",
                    heap.heapUsedKiB() / 1024.0, heap.metaspaceUsedKiB() / 1024.0,
                    StartupBenchmark.rssKiB(pid) / 1024.0);

            RestSession rest = new RestSession(s.httpPort(), password);
            List<RestSession.Timing> timings = rest.lists(s.clients(), s.calls(), s.sequentialCalls(), false);
            out.println();
            RestSession.Timing.print(timings, out);
            out.println();
            double stop = node.stop(Duration.ofSeconds(120));
            out.printf(Locale.ROOT, "stopped in %.2f s%n", stop);
            node.start(env);
            double warm = node.awaitUp(s.timeout());
            out.printf(Locale.ROOT, "restart on the same data to UP: %.2f s%n", warm);
            node.stop(Duration.ofSeconds(120));
        } finally {
            node.killQuietly();
        }
    }

    /** Writes the records with the Core's own store; returns the size of what it wrote. */
    static long seed(Path stateDir, Settings s) throws IOException {
        Files.createDirectories(stateDir);
        Instant now = Instant.now();
        List<InstanceRecord> records = new ArrayList<>(s.instances());
        try (JournalStateStore store = new JournalStateStore(stateDir, Json.newObjectMapper(), 0)) {
            List<StateChange> batch = new ArrayList<>();
            for (int i = 0; i < s.instances(); i++) {
                String id = UUID.randomUUID().toString();
                String cell = String.format(Locale.ROOT, "sim-cell-%03d", i % s.cells());
                InstanceSpec spec = new InstanceSpec(String.format(Locale.ROOT, "sim-%06d", i), "sim", null, 1,
                        64L << 20, List.of(new DiskSpec(1L << 30, null, null)), "linux-virtio", null, true);
                Instant created = now.minusSeconds(s.instances() - i);
                InstanceRecord r = new InstanceRecord(id, spec, cell, "admin", null, InstanceState.RUNNING, null,
                        null, created, created);
                records.add(r);
                batch.add(StateChange.put(InstanceRecord.TYPE, id, r));
                if (batch.size() == 1000) {
                    store.commit(batch);
                    batch = new ArrayList<>();
                }
            }
            for (int i = 0; i < s.tasks() && !records.isEmpty(); i++) {
                InstanceRecord r = records.get(records.size() - 1 - i % records.size());
                batch.add(StateChange.put(JournaledTaskEngine.STATE_TYPE, UUID.randomUUID().toString(), task(r)));
                if (batch.size() == 1000) {
                    store.commit(batch);
                    batch = new ArrayList<>();
                }
            }
            store.commit(batch);
            store.compact();
            // what the journal holds after a busy while: single updates, one entry each (group-committed here)
            List<CompletableFuture<Void>> tail = new ArrayList<>();
            for (int i = 0; i < s.tail() && !records.isEmpty(); i++) {
                InstanceRecord r = records.get(i % records.size());
                CompletionStage<Void> put = store.commitAsync(List.of(StateChange.put(InstanceRecord.TYPE, r.id(),
                        new InstanceRecord(r.id(), r.spec(), r.cellId(), r.owner(), r.group(),
                                i % 2 == 0 ? InstanceState.STOPPED : InstanceState.RUNNING, null, null,
                                r.createdAt(), now.plusMillis(i)))));
                tail.add(put.toCompletableFuture());
            }
            CompletableFuture.allOf(tail.toArray(CompletableFuture[]::new)).join();
        }
        long bytes = 0;
        try (var files = Files.list(stateDir)) {
            for (Path p : files.toList()) {
                bytes += Files.size(p);
            }
        }
        return bytes;
    }

    private static TaskInfo task(InstanceRecord r) {
        Instant created = r.createdAt();
        Map<String, String> target = Map.of("instance", r.id(), "cell", r.cellId());
        List<StepInfo> steps = new ArrayList<>();
        for (String[] step : new String[][] {{"place and reserve", "instance.reserve"}, {"address", "address.allocate"},
                {"create volumes", "cell.disks"}, {"define domain", "cell.define"}, {"start domain", "cell.start"},
                {"mark running", "instance.state"}}) {
            steps.add(new StepInfo(step[0], step[1], StepState.APPLIED, target));
        }
        return new TaskInfo(UUID.randomUUID().toString(), "instance.create",
                List.of("instance-name:" + r.spec().name(), "instance:" + r.id()), "admin", TaskState.SUCCEEDED, 100,
                "done", null, steps, created, created.plusMillis(5), created.plusMillis(900));
    }
}
