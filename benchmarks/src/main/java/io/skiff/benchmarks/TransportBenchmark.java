package io.skiff.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.skiff.api.transport.ClusterTransport;
import io.skiff.transport.internal.JGroupsTransport;

/**
 * Request round trips of the cluster transport ({@code skiff-transport}'s {@code JGroupsTransport}): two nodes,
 * {@code a} and {@code b}, of one domain in this JVM on 127.0.0.1 only (TCP + TCPPING with a static member list,
 * never multicast, their own domain and cluster key); {@code b} answers {@code bench.echo} with the request's small
 * body, {@code a} sends {@code requests} of them one after another, then {@code requests} with {@code inFlight} at a
 * time. Each figure: requests per second, the latency of one request (p50, p99) and the CPU time the JVM (both
 * nodes) spent per request.
 *
 * <p>With {@code skiff.bench.transport.before} (the {@code target/classes} directory or jar of another build of
 * {@code skiff-transport}, e.g. the main branch's) the same runs against that build too, loaded in a class loader of
 * its own (JGroups, Jackson and the API are shared), in turns with this one, round after round, so that both see the
 * same machine. Two mixed domains then check that the builds talk to each other ({@code a} of one, {@code b} of the
 * other), with a tenth of the requests.
 *
 * <pre>mvn -q -f benchmarks/pom.xml compile exec:java -Dexec.mainClass=io.skiff.benchmarks.TransportBenchmark \
 *     [-Dskiff.bench.transport.before=/path/to/skiff-transport/target/classes]</pre>
 *
 * <p>Settings (system properties): {@code skiff.bench.transport.requests} (10000), {@code .inFlight} (16),
 * {@code .rounds} (3), {@code .port} (28700: the domains use ports from there, failure detection 100 above),
 * {@code .before}; the cluster keys go to {@code skiff.bench.dir}/transport.
 */
public final class TransportBenchmark {
    static final String ECHO = "bench.echo";
    static final String THIS_BUILD = "this build";
    static final String BEFORE = "before";

    /** What to run. */
    public record Settings(int requests, int inFlight, int rounds, int basePort, Path dir, Path before) {

        static Settings fromSystemProperties() {
            String before = System.getProperty("skiff.bench.transport.before", "");
            return new Settings(Integer.getInteger("skiff.bench.transport.requests", 10_000),
                    Integer.getInteger("skiff.bench.transport.inFlight", 16),
                    Integer.getInteger("skiff.bench.transport.rounds", 3),
                    Integer.getInteger("skiff.bench.transport.port", 28_700),
                    Paths.get(System.getProperty("skiff.bench.dir", "target/benchmark-data")).resolve("transport"),
                    before.isBlank() ? null : Paths.get(before));
        }
    }

    /** One measured run: {@code from} asked, {@code to} answered. */
    public record Row(int round, String from, String to, String mode, int requests, double seconds, double p50Ms,
                      double p99Ms, double cpuMicrosPerRequest) {
        public double perSecond() {
            return seconds == 0 ? 0 : requests / seconds;
        }

        String transport() {
            return from.equals(to) ? from : from + " -> " + to;
        }
    }

    /** The body of a request and its reply. */
    public record Ping(int seq, String text) {
    }

    private TransportBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        Settings settings = Settings.fromSystemProperties();
        System.out.printf(Locale.ROOT, "Skiff transport benchmark: request round trips between two nodes on "
                + "127.0.0.1, %d requests sequential and %d in flight, %d rounds%n", settings.requests(),
                settings.inFlight(), settings.rounds());
        System.out.println("  this build: " + location(JGroupsTransport.class));
        System.out.println("  before:     " + (settings.before() == null ? "(none: -Dskiff.bench.transport.before)"
                : settings.before().toAbsolutePath()));
        Files.createDirectories(settings.dir());
        MachineInfo.print(settings.dir(), System.out);
        System.out.println();
        print(run(settings, System.out), System.out);
    }

    /** Starts the domains, warms up, measures {@code rounds} rounds and stops everything again. */
    public static List<Row> run(Settings settings, PrintStream log) throws Exception {
        Files.createDirectories(settings.dir());
        Map<String, ClassLoader> builds = new LinkedHashMap<>();
        builds.put(THIS_BUILD, TransportBenchmark.class.getClassLoader());
        if (settings.before() != null) {
            builds.put(BEFORE, new IsolatedTransportLoader(settings.before().toUri().toURL(),
                    TransportBenchmark.class.getClassLoader()));
        }
        List<Pair> pairs = new ArrayList<>();
        try {
            int port = settings.basePort();
            for (String build : builds.keySet()) {
                pairs.add(Pair.start(build, builds.get(build), build, builds.get(build), port, settings.dir()));
                port += 10;
            }
            if (builds.size() == 2) {
                pairs.add(Pair.start(BEFORE, builds.get(BEFORE), THIS_BUILD, builds.get(THIS_BUILD), port, settings.dir()));
                pairs.add(Pair.start(THIS_BUILD, builds.get(THIS_BUILD), BEFORE, builds.get(BEFORE), port + 10,
                        settings.dir()));
            }
            int warmUp = Math.max(settings.requests() / 5, 100);
            log.printf(Locale.ROOT, "warm-up: %d requests sequential and %d in flight per domain%n", warmUp, warmUp);
            for (Pair p : pairs) {
                sequential(p, 0, warmUp);
                inFlight(p, 0, warmUp, settings.inFlight());
            }
            List<Row> rows = new ArrayList<>();
            for (int round = 1; round <= settings.rounds(); round++) {
                // the builds take turns, and who goes first alternates, so that drift hits both alike
                List<Pair> order = new ArrayList<>(pairs);
                if (round % 2 == 0) {
                    Collections.reverse(order);
                }
                for (Pair p : order) {
                    int n = p.mixed() ? Math.max(settings.requests() / 10, 10) : settings.requests();
                    rows.add(sequential(p, round, n));
                    rows.add(inFlight(p, round, n, settings.inFlight()));
                }
                log.printf(Locale.ROOT, "round %d of %d done%n", round, settings.rounds());
            }
            return rows;
        } finally {
            for (Pair p : pairs) {
                p.close();
            }
            for (ClassLoader loader : builds.values()) {
                if (loader instanceof URLClassLoader u) {
                    u.close();
                }
            }
        }
    }

    /** Prints every round, then the medians over the rounds. */
    public static void print(List<Row> rows, PrintStream out) {
        out.println();
        out.printf(Locale.ROOT, "%-5s  %-24s  %-14s  %8s  %8s  %9s  %8s  %8s  %10s%n", "round", "transport (a -> b)",
                "mode", "requests", "seconds", "req/s", "p50 ms", "p99 ms", "CPU us/req");
        for (Row r : rows) {
            out.printf(Locale.ROOT, "%-5d  %-24s  %-14s  %8d  %8.2f  %9.0f  %8.3f  %8.3f  %10.1f%n", r.round(),
                    r.transport(), r.mode(), r.requests(), r.seconds(), r.perSecond(), r.p50Ms(), r.p99Ms(),
                    r.cpuMicrosPerRequest());
        }
        out.println();
        out.println("median over the rounds:");
        out.printf(Locale.ROOT, "%-24s  %-14s  %9s  %8s  %8s  %10s%n", "transport (a -> b)", "mode", "req/s", "p50 ms",
                "p99 ms", "CPU us/req");
        Map<String, List<Row>> groups = new LinkedHashMap<>();
        for (Row r : rows) {
            groups.computeIfAbsent(r.transport() + "\u0000" + r.mode(), k -> new ArrayList<>()).add(r);
        }
        for (List<Row> g : groups.values()) {
            out.printf(Locale.ROOT, "%-24s  %-14s  %9.0f  %8.3f  %8.3f  %10.1f%n", g.get(0).transport(), g.get(0).mode(),
                    median(g.stream().mapToDouble(Row::perSecond).toArray()),
                    median(g.stream().mapToDouble(Row::p50Ms).toArray()),
                    median(g.stream().mapToDouble(Row::p99Ms).toArray()),
                    median(g.stream().mapToDouble(Row::cpuMicrosPerRequest).toArray()));
        }
    }

    private static Row sequential(Pair p, int round, int n) throws Exception {
        long[] latencies = new long[n];
        long cpu = processCpuNanos();
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            Ping reply = p.a().request("b", ECHO, new Ping(i, "ping"), Ping.class, Duration.ofSeconds(30))
                    .get(30, TimeUnit.SECONDS);
            latencies[i] = System.nanoTime() - t0;
            if (reply.seq() != i) {
                throw new IllegalStateException(p + ": reply " + reply.seq() + " to request " + i);
            }
        }
        return row(p, round, "sequential", latencies, System.nanoTime() - start, processCpuNanos() - cpu);
    }

    private static Row inFlight(Pair p, int round, int n, int k) throws Exception {
        long[] latencies = new long[n];
        Semaphore slots = new Semaphore(k);
        CountDownLatch done = new CountDownLatch(n);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicInteger wrong = new AtomicInteger();
        long cpu = processCpuNanos();
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            slots.acquire();
            int seq = i;
            long t0 = System.nanoTime();
            p.a().request("b", ECHO, new Ping(seq, "ping"), Ping.class, Duration.ofSeconds(30))
                    .whenComplete((reply, ex) -> {
                        latencies[seq] = System.nanoTime() - t0;
                        if (ex != null) {
                            failure.compareAndSet(null, ex);
                        } else if (reply.seq() != seq) {
                            wrong.incrementAndGet();
                        }
                        slots.release();
                        done.countDown();
                    });
        }
        if (!done.await(5, TimeUnit.MINUTES)) {
            throw new IllegalStateException(p + ": requests unanswered after 5 minutes");
        }
        long elapsed = System.nanoTime() - start;
        long cpuUsed = processCpuNanos() - cpu;
        if (failure.get() != null) {
            throw new IllegalStateException(p + ": a request failed: " + failure.get(), failure.get());
        }
        if (wrong.get() > 0) {
            throw new IllegalStateException(p + ": " + wrong.get() + " replies answered another request");
        }
        return row(p, round, k + " in flight", latencies, elapsed, cpuUsed);
    }

    private static Row row(Pair p, int round, String mode, long[] latencies, long elapsedNanos, long cpuNanos) {
        long[] sorted = latencies.clone();
        Arrays.sort(sorted);
        return new Row(round, p.fromBuild(), p.toBuild(), mode, latencies.length, elapsedNanos / 1e9,
                percentile(sorted, 0.50) / 1e6, percentile(sorted, 0.99) / 1e6,
                cpuNanos / 1e3 / latencies.length);
    }

    /**
     * CPU time of this whole JVM (both nodes, every thread): per request, it tells how much work a round trip takes,
     * which a busy machine disturbs far less than the wall time.
     */
    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }

    private static double percentile(long[] sorted, double q) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length == 0 ? 0 : v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static String location(Class<?> type) {
        return String.valueOf(type.getProtectionDomain().getCodeSource().getLocation());
    }

    /** One domain: node {@code a} of build {@code fromBuild} asks, node {@code b} of build {@code toBuild} answers. */
    record Pair(String fromBuild, String toBuild, ClusterTransport a, ClusterTransport b, Path key)
            implements AutoCloseable {

        static Pair start(String fromBuild, ClassLoader fromLoader, String toBuild, ClassLoader toLoader, int port,
                          Path dir) throws Exception {
            String domain = "skiff-bench-transport-" + UUID.randomUUID().toString().substring(0, 8);
            Path key = dir.resolve(domain + ".key");
            ClusterTransport a = startNode(fromLoader, domain, "a", port, port, key);
            ClusterTransport b;
            try {
                b = startNode(toLoader, domain, "b", port + 1, port, key);
                b.subscribe(ECHO, m -> m.body(Ping.class));
                awaitMembers(2, a, b);
            } catch (Exception | Error ex) {
                ((AutoCloseable) a).close();
                throw ex;
            }
            return new Pair(fromBuild, toBuild, a, b, key);
        }

        boolean mixed() {
            return !fromBuild.equals(toBuild);
        }

        @Override
        public void close() throws Exception {
            ((AutoCloseable) b).close();
            ((AutoCloseable) a).close();
            Files.deleteIfExists(key);
        }

        @Override
        public String toString() {
            return fromBuild.equals(toBuild) ? fromBuild : fromBuild + " -> " + toBuild;
        }
    }

    /**
     * Starts {@code JGroupsTransport} of the build that {@code loader} sees, through reflection, so that another
     * build's classes (in {@link IsolatedTransportLoader}) work the same way: only the API is shared.
     */
    static ClusterTransport startNode(ClassLoader loader, String domain, String node, int port, int seedPort, Path key)
            throws Exception {
        Class<?> settingsType = loader.loadClass("io.skiff.transport.internal.TransportSettings");
        @SuppressWarnings({"unchecked", "rawtypes"})
        Class<? extends Enum> discoveryType = (Class<? extends Enum>) loader
                .loadClass("io.skiff.transport.internal.TransportSettings$Discovery");
        Object settings = settingsType.getConstructor(String.class, String.class, String.class, int.class, int.class,
                discoveryType, List.class, String.class, int.class, Path.class, Duration.class)
                .newInstance(domain, node, "127.0.0.1", port, 0, discoveryEnum(discoveryType, "TCP"),
                        List.of(new InetSocketAddress("127.0.0.1", seedPort)), "228.8.8.8", 45588, key,
                        Duration.ofSeconds(30));
        Method newObjectMapper = loader.loadClass("io.skiff.transport.internal.TransportComponent")
                .getDeclaredMethod("newObjectMapper");
        newObjectMapper.setAccessible(true);
        Class<?> transportType = loader.loadClass("io.skiff.transport.internal.JGroupsTransport");
        Object transport = transportType.getConstructor(settingsType, ObjectMapper.class)
                .newInstance(settings, newObjectMapper.invoke(null));
        try {
            transportType.getMethod("start").invoke(transport);
        } catch (InvocationTargetException ex) {
            throw ex.getCause() instanceof Exception cause ? cause : ex;
        }
        return (ClusterTransport) transport;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object discoveryEnum(Class<? extends Enum> type, String name) {
        return Enum.valueOf(type, name);
    }

    private static void awaitMembers(int count, ClusterTransport... transports) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < end) {
            if (Arrays.stream(transports).allMatch(t -> t.members().size() == count)) {
                return;
            }
            Thread.sleep(25);
        }
        throw new IllegalStateException("the two nodes did not see each other within 30 s");
    }

    /**
     * Loads {@code io.skiff.transport.*} from one build's classes only (child first), everything else from the
     * parent: two builds of the transport side by side in one JVM, on the same JGroups, Jackson and API.
     */
    static final class IsolatedTransportLoader extends URLClassLoader {
        static {
            ClassLoader.registerAsParallelCapable();
        }

        IsolatedTransportLoader(URL location, ClassLoader parent) throws IOException {
            super(new URL[] {location}, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("io.skiff.transport.")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    c = findClass(name);
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }
    }
}
