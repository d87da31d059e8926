package io.skiff.benchmarks;

import io.skiff.api.model.TaskInfo;
import io.skiff.api.model.TaskState;
import io.skiff.api.task.StepContext;
import io.skiff.api.task.TaskRequest;
import io.skiff.api.task.TaskStep;
import io.skiff.core.internal.json.Json;
import io.skiff.core.internal.state.JournalStateStore;
import io.skiff.core.internal.task.JournaledTaskEngine;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Load harness for the Core's state store and task engine, writing real files with real fsyncs. Run by hand:
 *
 * <pre>mvn -q -f benchmarks/pom.xml exec:java [-Dbench.dir=/disk/to/test] [-Dskiff.bench.commits=5000]</pre>
 *
 * <p>Settings (system properties): {@code skiff.bench.dir} (data directory, emptied first),
 * {@code skiff.bench.commits} (journal commits per run), {@code skiff.bench.threads} (concurrent committers and
 * submitters), {@code skiff.bench.tasks} (tasks per engine run), {@code skiff.bench.steps} (no-op steps per task).
 * Figures depend entirely on the disk's fsync latency; compare runs on the same machine only.
 */
public final class CoreBenchmarks {

    /** What to run. */
    public record Settings(Path dir, int commits, int threads, int tasks, int stepsPerTask) {

        static Settings fromSystemProperties() {
            return new Settings(Paths.get(System.getProperty("skiff.bench.dir", "target/benchmark-data")),
                    Integer.getInteger("skiff.bench.commits", 4000),
                    Integer.getInteger("skiff.bench.threads", 8),
                    Integer.getInteger("skiff.bench.tasks", 4000),
                    Integer.getInteger("skiff.bench.steps", 2));
        }
    }

    /** One line of the result table. */
    public record Row(String benchmark, long operations, double seconds, String note) {
        public double perSecond() {
            return seconds == 0 ? 0 : operations / seconds;
        }
    }

    record Sample(String id, int n) {
    }

    private CoreBenchmarks() {
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        Settings settings = Settings.fromSystemProperties();
        System.out.printf(Locale.ROOT, "Skiff core benchmarks in %s (%d CPUs, Java %s)%n",
                settings.dir().toAbsolutePath(), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        Files.createDirectories(settings.dir());
        MachineInfo.print(settings.dir(), System.out);
        System.out.println();
        // a short warm-up so that the JIT does not dominate the first figures
        run(new Settings(settings.dir(), 200, settings.threads(), 200, settings.stepsPerTask()));
        print(run(settings), System.out);
    }

    /** Runs every benchmark once and returns the figures. */
    public static List<Row> run(Settings settings) throws Exception {
        List<Row> rows = new ArrayList<>();
        rows.add(journalCommits(settings, 1));
        rows.add(journalCommits(settings, settings.threads()));
        rows.add(taskEngine(settings));
        return rows;
    }

    static Row journalCommits(Settings settings, int threads) throws Exception {
        Path dir = freshDir(settings.dir().resolve("journal-" + threads));
        int perThread = Math.max(1, settings.commits() / threads);
        try (JournalStateStore store = new JournalStateStore(dir, Json.newObjectMapper(), 10_000)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    done.add(pool.submit(() -> {
                        go.await();
                        for (int i = 0; i < perThread; i++) {
                            String id = "s-" + thread + "-" + (i % 500);
                            store.put("sample", id, new Sample(id, i));
                        }
                        return null;
                    }));
                }
                long start = System.nanoTime();
                go.countDown();
                for (Future<?> f : done) {
                    f.get();
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                return new Row("journal commit + fsync, " + threads + " thread" + (threads == 1 ? "" : "s"),
                        (long) perThread * threads, seconds, "one record per commit");
            } finally {
                pool.shutdownNow();
            }
        }
    }

    static Row taskEngine(Settings settings) throws Exception {
        Path dir = freshDir(settings.dir().resolve("tasks"));
        int submitters = settings.threads();
        int perSubmitter = Math.max(1, settings.tasks() / submitters);
        int steps = settings.stepsPerTask();
        try (JournalStateStore store = new JournalStateStore(dir, Json.newObjectMapper(), 10_000)) {
            JournaledTaskEngine engine = new JournaledTaskEngine(store, 8, Clock.systemUTC());
            engine.start();
            ExecutorService pool = Executors.newFixedThreadPool(submitters);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<List<CompletableFuture<TaskInfo>>>> submitted = new ArrayList<>();
                for (int s = 0; s < submitters; s++) {
                    int submitter = s;
                    submitted.add(pool.submit(() -> {
                        go.await();
                        List<CompletableFuture<TaskInfo>> completions = new ArrayList<>(perSubmitter);
                        for (int i = 0; i < perSubmitter; i++) {
                            List<TaskStep> noOps = new ArrayList<>(steps);
                            for (int k = 0; k < steps; k++) {
                                noOps.add(NoOpStep.INSTANCE);
                            }
                            TaskInfo queued = engine.submit(new TaskRequest("bench.noop",
                                    Set.of("bench:" + submitter + "-" + i), "bench", noOps));
                            completions.add(engine.completion(queued.id()));
                        }
                        return completions;
                    }));
                }
                long start = System.nanoTime();
                go.countDown();
                long failed = 0;
                long total = 0;
                for (Future<List<CompletableFuture<TaskInfo>>> f : submitted) {
                    for (CompletableFuture<TaskInfo> completion : f.get()) {
                        total++;
                        if (completion.get(10, TimeUnit.MINUTES).state() != TaskState.SUCCEEDED) {
                            failed++;
                        }
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                if (failed > 0) {
                    throw new IllegalStateException(failed + " benchmark tasks failed");
                }
                long commitsPerTask = 3 + 2L * steps;
                return new Row("task engine, " + steps + " no-op steps, " + submitters + " submitters", total,
                        seconds, commitsPerTask + " journal commits per task");
            } finally {
                pool.shutdownNow();
                engine.close();
            }
        }
    }

    static void print(List<Row> rows, PrintStream out) {
        String format = "%-48s %9s %9s %11s  %s%n";
        out.printf(Locale.ROOT, format, "benchmark", "ops", "seconds", "ops/s", "note");
        out.printf(Locale.ROOT, format, "-".repeat(48), "-".repeat(9), "-".repeat(9), "-".repeat(11), "-".repeat(4));
        for (Row row : rows) {
            out.printf(Locale.ROOT, format, row.benchmark(), row.operations(),
                    String.format(Locale.ROOT, "%.2f", row.seconds()),
                    String.format(Locale.ROOT, "%.0f", row.perSecond()), row.note());
        }
    }

    private static Path freshDir(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        return Files.createDirectories(dir);
    }

    /** A step that takes nothing: measures the engine and its journal alone. */
    private enum NoOpStep implements TaskStep {
        INSTANCE;

        @Override
        public String kind() {
            return "noop";
        }

        @Override
        public void apply(StepContext context) {
        }

        @Override
        public void undo(StepContext context) {
        }
    }
}
