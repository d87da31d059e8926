package io.skiff.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Start-up time and memory of the real distribution, each run in a fresh Karaf home started as a separate
 * {@code bin/karaf server} process, everything bound to loopback. Run by hand (never by the build):
 *
 * <pre>mvn -q -f benchmarks/pom.xml compile exec:java -Dexec.mainClass=io.skiff.benchmarks.StartupBenchmark [-Dbench.runs=3]</pre>
 *
 * <p>Per run: unpack the archive into {@code <dir>/run-<i>} with its own ports; start it and time from the process
 * start to the first {@code GET /api/v1/health} answering {@code "status":"UP"} (polled every 100 ms), the
 * <em>cold</em> start; let it settle, read the Karaf JVM's resident set (VmRSS), force a full GC with
 * {@code jcmd GC.run} and read the used heap and metaspace with {@code jcmd GC.heap_info}; stop it (SIGTERM, then
 * SIGKILL after a time-out); start it again on the same home and data (the <em>warm</em> restart) and time it the
 * same way; stop it again.
 *
 * <p>Settings (system properties, the {@code skiff.} form wins): {@code bench.runs} (3), {@code bench.distribution}
 * (the assembly's tar.gz), {@code bench.startup.dir} (where homes are unpacked, emptied per run),
 * {@code bench.http.port} (first HTTP port, 8581; SSH, RMI registry, RMI server and HTTPS take the next four, all on
 * 127.0.0.1, the next run starts 10 higher), {@code bench.transport.port} (JGroups port, 7970), {@code bench.timeout.seconds} (180),
 * {@code bench.settle.seconds} (5), {@code bench.java.opts} (extra JVM options for Karaf, e.g. {@code -Xmx512m},
 * passed as {@code EXTRA_JAVA_OPTS}; unset = the distribution's defaults. Note that Karaf 4.4's Unix scripts ignore
 * {@code JAVA_MAX_MEM}, so by default the heap limit is the JVM's ergonomic one, a quarter of the RAM).
 */
public final class StartupBenchmark {

    /** What to run. */
    public record Settings(Path distribution, Path dir, int runs, int httpPortBase, int transportPort,
                           Duration timeout, Duration settle, String javaOpts) {

        static Settings fromSystemProperties() {
            return new Settings(
                    Path.of(property("bench.distribution",
                            "karaf-assembly/target/skiff-assembly-0.1.0-SNAPSHOT.tar.gz")),
                    Path.of(property("bench.startup.dir", "benchmarks/target/startup")),
                    Integer.parseInt(property("bench.runs", "3")),
                    Integer.parseInt(property("bench.http.port", "8581")),
                    Integer.parseInt(property("bench.transport.port", "7970")),
                    Duration.ofSeconds(Long.parseLong(property("bench.timeout.seconds", "180"))),
                    Duration.ofSeconds(Long.parseLong(property("bench.settle.seconds", "5"))),
                    property("bench.java.opts", ""));
        }

        /** @return the system property {@code skiff.<name>}, else {@code <name>}, else {@code fallback} */
        static String property(String name, String fallback) {
            String value = System.getProperty("skiff." + name);
            if (value == null || value.isBlank()) {
                value = System.getProperty(name);
            }
            return value == null || value.isBlank() ? fallback : value.trim();
        }
    }

    /** The figures of one run. Heap and metaspace after a forced full GC; RSS before it. */
    public record Result(int run, double coldSeconds, double warmSeconds, double heapUsedMiB, double metaspaceMiB,
                         double rssMiB) {
    }

    /** Used heap and metaspace, in KiB, as {@code jcmd GC.heap_info} prints them. */
    record HeapInfo(long heapUsedKiB, long metaspaceUsedKiB) {
    }

    private static final Set<Node> LIVE = ConcurrentHashMap.newKeySet();
    private static final ObjectMapper JSON = new ObjectMapper();

    private StartupBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.fromSystemProperties();
        if (!Files.isRegularFile(settings.distribution())) {
            throw new IllegalStateException("no distribution at " + settings.distribution().toAbsolutePath()
                    + "; build it first: mvn -B -o -q install -DskipTests (from the project root)");
        }
        Files.createDirectories(settings.dir());
        // never leave a Karaf behind, also when interrupted (Ctrl-C ends the Maven JVM)
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Node::killQuietly), "kill-karaf-nodes"));

        System.out.printf(Locale.ROOT, "Skiff start-up benchmark: %d run(s) of %s in %s, %s%n", settings.runs(),
                settings.distribution().toAbsolutePath().normalize(), settings.dir().toAbsolutePath().normalize(),
                ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        MachineInfo.print(settings.dir(), System.out);
        System.out.println("  Karaf JVM:    " + (settings.javaOpts().isEmpty()
                ? "the distribution's default options" : "EXTRA_JAVA_OPTS=" + settings.javaOpts()));
        System.out.println();

        List<Result> results = new ArrayList<>();
        int portBase = settings.httpPortBase();
        for (int run = 1; run <= settings.runs(); run++) {
            portBase = freePortBase(portBase);
            results.add(run(settings, run, portBase));
            portBase += 10;
        }
        System.out.println();
        print(results, System.out);
    }

    static Result run(Settings settings, int run, int portBase) throws Exception {
        Path home = settings.dir().resolve("run-" + run);
        Node node = Node.unpack(settings.distribution(), home, portBase, settings.transportPort());
        Map<String, String> env = Node.environment("bench-" + UUID.randomUUID(), settings.javaOpts());
        try {
            awaitTransportPortFree(settings.transportPort());
            node.start(env);
            double cold = node.awaitUp(settings.timeout());
            System.out.printf(Locale.ROOT, "run %d: cold start to UP in %.2f s (HTTP %d, home %s)%n", run, cold,
                    portBase, home);
            Thread.sleep(settings.settle().toMillis());
            long javaPid = node.javaPid();
            long rssKiB = rssKiB(javaPid);
            String flags = jvmFlags(jcmd(javaPid, "VM.flags"));
            jcmd(javaPid, "GC.run");
            HeapInfo heap = parseHeapInfo(jcmd(javaPid, "GC.heap_info"));
            System.out.printf(Locale.ROOT,
                    "run %d: JVM pid %d (%s), RSS %.0f MiB, after GC heap %.1f MiB, metaspace %.1f MiB%n", run, javaPid,
                    flags, rssKiB / 1024.0, heap.heapUsedKiB() / 1024.0, heap.metaspaceUsedKiB() / 1024.0);
            double stop = node.stop(Duration.ofSeconds(60));
            System.out.printf(Locale.ROOT, "run %d: stopped in %.2f s%n", run, stop);

            awaitTransportPortFree(settings.transportPort());
            node.start(env);
            double warm = node.awaitUp(settings.timeout());
            System.out.printf(Locale.ROOT, "run %d: warm restart to UP in %.2f s%n", run, warm);
            node.stop(Duration.ofSeconds(60));
            return new Result(run, cold, warm, heap.heapUsedKiB() / 1024.0, heap.metaspaceUsedKiB() / 1024.0,
                    rssKiB / 1024.0);
        } finally {
            node.killQuietly();
        }
    }

    static void print(List<Result> results, PrintStream out) {
        String format = "%-7s %13s %15s %19s %15s %9s%n";
        out.printf(Locale.ROOT, format, "run", "cold to UP s", "warm to UP s", "heap after GC MiB", "metaspace MiB",
                "RSS MiB");
        out.printf(Locale.ROOT, format, "-".repeat(7), "-".repeat(13), "-".repeat(15), "-".repeat(19),
                "-".repeat(15), "-".repeat(9));
        for (Result r : results) {
            out.printf(Locale.ROOT, format, r.run(), f2(r.coldSeconds()), f2(r.warmSeconds()), f1(r.heapUsedMiB()),
                    f1(r.metaspaceMiB()), f1(r.rssMiB()));
        }
        if (results.size() > 1) {
            out.printf(Locale.ROOT, format, "median", f2(median(results, Result::coldSeconds)),
                    f2(median(results, Result::warmSeconds)), f1(median(results, Result::heapUsedMiB)),
                    f1(median(results, Result::metaspaceMiB)), f1(median(results, Result::rssMiB)));
        }
    }

    private static String f1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String f2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    static double median(List<Result> results, ToDoubleFunction<Result> field) {
        double[] values = results.stream().mapToDouble(field).sorted().toArray();
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    private static final Pattern USED = Pattern.compile("used (\\d+)([KMG])");

    /**
     * Parses {@code jcmd <pid> GC.heap_info}: the heap is the sum of the "used" figures of the lines that also give
     * a "total" (one line for G1, young + old generation for Serial/Parallel); metaspace is its own line.
     */
    static HeapInfo parseHeapInfo(String text) {
        long heap = 0;
        long metaspace = 0;
        boolean foundHeap = false;
        for (String line : text.split("\\R")) {
            String trimmed = line.trim();
            Matcher m = USED.matcher(trimmed);
            if (!m.find()) {
                continue;
            }
            long kib = Long.parseLong(m.group(1)) * switch (m.group(2)) {
                case "M" -> 1024L;
                case "G" -> 1024L * 1024L;
                default -> 1L;
            };
            if (trimmed.startsWith("Metaspace")) {
                metaspace = kib;
            } else if (trimmed.startsWith("class space")) {
                continue;
            } else if (trimmed.contains("total") || trimmed.startsWith("ZHeap")) {
                heap += kib;
                foundHeap = true;
            }
        }
        if (!foundHeap) {
            throw new IllegalStateException("no used heap in GC.heap_info output:\n" + text);
        }
        return new HeapInfo(heap, metaspace);
    }

    /** The collector and the heap limit from {@code jcmd <pid> VM.flags}, e.g. "G1GC, max heap 6026 MiB". */
    static String jvmFlags(String text) {
        Matcher gc = Pattern.compile("-XX:\\+Use(\\w+GC)\\b").matcher(text);
        Matcher max = Pattern.compile("-XX:MaxHeapSize=(\\d+)").matcher(text);
        return (gc.find() ? gc.group(1) : "GC ?") + ", max heap "
                + (max.find() ? (Long.parseLong(max.group(1)) >> 20) + " MiB" : "?");
    }

    /** VmRSS of a process from {@code /proc/<pid>/status}, in KiB. */
    static long rssKiB(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.substring("VmRSS:".length()).replace("kB", "").trim());
            }
        }
        throw new IllegalStateException("no VmRSS for pid " + pid);
    }

    static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(jcmdExecutable(), Long.toString(pid), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("jcmd " + pid + " " + command + " timed out");
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + pid + " " + command + " failed: " + out);
        }
        return out;
    }

    private static String jcmdExecutable() {
        Path inJavaHome = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        return Files.isExecutable(inJavaHome) ? inJavaHome.toString() : "jcmd";
    }

    /**
     * The first base at or above {@code from} whose five ports (HTTP, SSH, RMI registry, RMI server, HTTPS) are
     * free.
     */
    static int freePortBase(int from) {
        for (int base = from; base < from + 1000; base += 10) {
            if (free(base) && free(base + 1) && free(base + 2) && free(base + 3) && free(base + 4)) {
                return base;
            }
        }
        throw new IllegalStateException("no five free ports from " + from);
    }

    static void awaitTransportPortFree(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        // JGroups TCP at port, failure detection (FD_SOCK2) at port + 100
        while (!(free(port) && free(port + 100))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("transport port " + port + " or " + (port + 100) + " is taken");
            }
            Thread.sleep(200);
        }
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** One unpacked Skiff distribution, started and stopped as {@code bin/karaf server}. */
    static final class Node {
        final Path home;
        final int httpPort;
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        private Process process;
        private long startNanos;

        private Node(Path home, int httpPort) {
            this.home = home;
            this.httpPort = httpPort;
        }

        static Node unpack(Path archive, Path home, int portBase, int transportPort)
                throws IOException, InterruptedException {
            return unpack(archive, home, portBase, transportPort, "skiff-bench");
        }

        /** As {@link #unpack(Path, Path, int, int)}, in the cluster domain {@code domain}. */
        static Node unpack(Path archive, Path home, int portBase, int transportPort, String domain)
                throws IOException, InterruptedException {
            deleteTree(home);
            Files.createDirectories(home);
            Process tar = new ProcessBuilder("tar", "-xzf", archive.toAbsolutePath().toString(), "-C",
                    home.toString(), "--strip-components=1").inheritIO().start();
            if (tar.waitFor() != 0) {
                throw new IOException("could not unpack " + archive);
            }
            Node node = new Node(home, portBase);
            // HTTP (and HTTPS, when enabled) on loopback only: Pax Web listens on every interface by default
            node.replace("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port = 8181",
                    "org.ops4j.pax.web.listening.addresses = 127.0.0.1\norg.osgi.service.http.port = " + portBase);
            node.replace("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port.secure = 8443",
                    "org.osgi.service.http.port.secure = " + (portBase + 4));
            node.replace("etc/org.apache.karaf.shell.cfg", "sshPort = 8101", "sshPort = " + (portBase + 1));
            node.replace("etc/org.apache.karaf.shell.cfg", "sshHost = 0.0.0.0", "sshHost = 127.0.0.1");
            node.replace("etc/org.apache.karaf.management.cfg", "rmiRegistryPort = 1099",
                    "rmiRegistryPort = " + (portBase + 2));
            node.replace("etc/org.apache.karaf.management.cfg", "rmiServerPort = 44444",
                    "rmiServerPort = " + (portBase + 3));
            // loopback only, its own domain and member list: never joins another Skiff on this host
            Files.writeString(home.resolve("etc/io.skiff.transport.cfg"), String.join("\n",
                    "domain = " + domain,
                    "nodeName = bench-node",
                    "bindAddress = 127.0.0.1",
                    "bindPort = " + transportPort,
                    "portRange = 0",
                    "discovery = tcp",
                    "members = 127.0.0.1[" + transportPort + "]",
                    ""));
            return node;
        }

        private void replace(String relative, String from, String to) throws IOException {
            Path file = home.resolve(relative);
            String text = Files.readString(file, StandardCharsets.ISO_8859_1);
            if (!text.contains(from)) {
                throw new IllegalStateException(relative + " has no '" + from + "'");
            }
            Files.writeString(file, text.replace(from, to), StandardCharsets.ISO_8859_1);
        }

        /** The environment of {@link #start}: the first admin's password, extra JVM options unless empty. */
        static Map<String, String> environment(String adminPassword, String javaOpts) {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("SKIFF_ADMIN_PASSWORD", adminPassword);
            if (!javaOpts.isEmpty()) {
                env.put("EXTRA_JAVA_OPTS", javaOpts);
            }
            return env;
        }

        void start(Map<String, String> env) throws IOException {
            if (process != null && process.isAlive()) {
                throw new IllegalStateException(home + " already runs");
            }
            ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/karaf").toAbsolutePath().toString(), "server");
            pb.directory(home.toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("KARAF_") || k.equals("JAVA_OPTS")
                    || k.equals("EXTRA_JAVA_OPTS") || k.equals("JAVA_MAX_MEM") || k.equals("JAVA_MIN_MEM"));
            pb.environment().putAll(env);
            pb.redirectErrorStream(true);
            pb.redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("console.log").toFile()));
            startNanos = System.nanoTime();
            process = pb.start();
            LIVE.add(this);
        }

        /** Seconds from the process start to the first health answer "UP". */
        double awaitUp(Duration timeout) throws IOException, InterruptedException {
            URI uri = URI.create("http://127.0.0.1:" + httpPort + "/api/v1/health");
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).GET().build();
            long deadline = startNanos + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                long tick = System.nanoTime();
                try {
                    HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
                    if (answer.statusCode() == 200) {
                        JsonNode body = JSON.readTree(answer.body());
                        if ("UP".equals(body.path("status").asText())) {
                            return (System.nanoTime() - startNanos) / 1e9;
                        }
                    }
                } catch (IOException notYet) {
                    // not listening yet, or not ready
                }
                if (!process.isAlive()) {
                    throw new IllegalStateException("Karaf in " + home + " exited with " + process.exitValue()
                            + " before UP; see " + home.resolve("console.log") + " and data/log/karaf.log");
                }
                long sleepNanos = TimeUnit.MILLISECONDS.toNanos(100) - (System.nanoTime() - tick);
                if (sleepNanos > 0) {
                    TimeUnit.NANOSECONDS.sleep(sleepNanos);
                }
            }
            throw new IllegalStateException("Karaf in " + home + " not UP within " + timeout.toSeconds()
                    + " s; see data/log/karaf.log");
        }

        /** The pid of the Karaf JVM: {@code bin/karaf} itself when it exec'ed java, else its java descendant. */
        long javaPid() {
            if (isJava(process.toHandle())) {
                return process.pid();
            }
            Optional<ProcessHandle> java = process.descendants().filter(Node::isJava).findFirst();
            return java.orElseThrow(() -> new IllegalStateException("no java process under " + process.pid()))
                    .pid();
        }

        private static boolean isJava(ProcessHandle h) {
            return h.info().command().map(c -> c.endsWith("/java") || c.equals("java")).orElse(false);
        }

        /** SIGTERM to bin/karaf and its JVM, SIGKILL after {@code timeout}; returns the seconds it took. */
        double stop(Duration timeout) throws InterruptedException {
            if (process == null) {
                return 0;
            }
            long start = System.nanoTime();
            List<ProcessHandle> all = tree();
            all.forEach(ProcessHandle::destroy);
            long deadline = start + timeout.toNanos();
            for (ProcessHandle h : all) {
                long left = deadline - System.nanoTime();
                try {
                    h.onExit().get(Math.max(left, 0), TimeUnit.NANOSECONDS);
                } catch (Exception timedOut) {
                    System.out.println("  " + h.pid() + " did not stop within " + timeout.toSeconds()
                            + " s after SIGTERM; killing it");
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            // by the list taken before SIGTERM: a JVM whose bin/karaf parent died is no longer its descendant
            killAll(all);
            process = null;
            LIVE.remove(this);
            return seconds;
        }

        /** SIGKILL to whatever of this node still runs, waiting until it is gone. */
        void killQuietly() {
            if (process == null) {
                return;
            }
            killAll(tree());
            process = null;
            LIVE.remove(this);
        }

        private void killAll(List<ProcessHandle> all) {
            all.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
            for (ProcessHandle h : all) {
                try {
                    h.onExit().get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    System.err.println("WARNING: process " + h.pid() + " of " + home + " still runs");
                }
            }
        }

        private List<ProcessHandle> tree() {
            List<ProcessHandle> all = new ArrayList<>();
            process.descendants().forEach(all::add);
            all.add(process.toHandle());
            return all;
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
