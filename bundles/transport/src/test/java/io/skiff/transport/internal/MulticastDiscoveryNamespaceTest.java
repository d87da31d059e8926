package io.skiff.transport.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Multicast discovery for real: two nodes, each a JVM of its own ({@link MulticastNode}) inside a network namespace
 * that this test creates, find each other by IP multicast (UDP + PING, 228.8.8.8:45588, TTL 1) over a veth pair
 * that joins the two namespaces, form one domain, and exchange an event and a request/reply.
 *
 * <p>Network safety: nothing here touches the machine's own interfaces. The veth pair is created inside the first
 * namespace with its peer moved straight into the second, so it never exists in the root namespace; the only
 * addresses are 10.254.77.1/24 and 10.254.77.2/24 on it, plus {@code lo}; there is no default route, so nothing can
 * leave the pair; the multicast route {@code 224.0.0.0/4} points at the veth. The test checks that before it starts a
 * node. A plain veth pair rather than a bridge: no IGMP snooping in between.
 *
 * <p>Needs root and iproute2 ({@code ip netns}); skipped otherwise. Cleans up in {@link AfterAll} and, should the
 * test JVM be stopped, in a shutdown hook: the nodes are ended (by closing their stdin, then by pid) and the
 * namespaces deleted. The nodes also exit on their own when their stdin closes or after {@value #NODE_LIFETIME_S} s.
 */
class MulticastDiscoveryNamespaceTest {
    private static final String SUBNET = "10.254.77.";
    private static final String ADDRESS_A = SUBNET + "1";
    private static final String ADDRESS_B = SUBNET + "2";
    private static final String DEVICE = "mc0";
    private static final long COMMAND_TIMEOUT_S = 10;
    private static final long AWAIT_S = 25;
    private static final long NODE_LIFETIME_S = 90;

    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
    private static final String NS_A = "skiff-mc-a-" + SUFFIX;
    private static final String NS_B = "skiff-mc-b-" + SUFFIX;

    private static final List<String> createdNamespaces = new CopyOnWriteArrayList<>();
    private static final List<Node> nodes = new CopyOnWriteArrayList<>();
    private static String ip;
    private static Thread cleanupHook;

    @TempDir
    static Path dir;

    /** A node's JVM, what it printed, and the thread that reads its output (it ends with the output). */
    private record Node(String name, Process process, List<String> output, Thread reader) {
        boolean printed(Predicate<String> line) {
            return output.stream().anyMatch(line);
        }

        List<String> reports(String kind) {
            String start = MulticastNode.PREFIX + kind + " ";
            return output.stream().filter(l -> l.startsWith(start)).map(l -> l.substring(start.length())).toList();
        }
    }

    private record Result(int exit, String output) {
    }

    @BeforeAll
    static void createNamespaces() throws Exception {
        Assumptions.assumeTrue(isRoot(), "skipped: creating network namespaces needs root (uid 0)");
        ip = findIp();
        Assumptions.assumeTrue(ip != null, "skipped: iproute2's 'ip' command not found");
        Result list = run(ip, "netns", "list");
        Assumptions.assumeTrue(list.exit() == 0, () -> "skipped: 'ip netns' unavailable: " + list.output());

        cleanupHook = new Thread(MulticastDiscoveryNamespaceTest::cleanUp, "skiff-mc-netns-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanupHook);

        Result add = run(ip, "netns", "add", NS_A);
        Assumptions.assumeTrue(add.exit() == 0, () -> "skipped: cannot create a network namespace: " + add.output());
        createdNamespaces.add(NS_A);
        ok(ip, "netns", "add", NS_B);
        createdNamespaces.add(NS_B);

        // created in A with its peer moved straight into B: never an interface of the root namespace
        ok(ip, "-n", NS_A, "link", "add", DEVICE, "type", "veth", "peer", "name", DEVICE, "netns", NS_B);
        configure(NS_A, ADDRESS_A);
        configure(NS_B, ADDRESS_B);
        checkIsolated(NS_A, ADDRESS_A);
        checkIsolated(NS_B, ADDRESS_B);
    }

    @AfterAll
    static void removeNamespaces() {
        cleanUp();
        if (cleanupHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(cleanupHook);
            } catch (IllegalStateException ex) {
                // shutting down already: the hook runs anyway
            }
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void twoNodesInNamespacesFindEachOtherByMulticast() throws Exception {
        Path keyFile = dir.resolve("cluster.key");
        ClusterKeyFile.loadOrCreate(keyFile);
        String domain = "mc-test-" + SUFFIX;
        String nameA = "mc-a-" + SUFFIX;
        String nameB = "mc-b-" + SUFFIX;

        Node a = startNode(NS_A, domain, nameA, ADDRESS_A, keyFile, nameB);
        // a first, as its domain's coordinator: then b can only get in by finding a through multicast discovery
        await("node " + nameA + " started", () -> a.printed(l -> l.startsWith(MulticastNode.PREFIX + "STARTED ")), a);
        Node b = startNode(NS_B, domain, nameB, ADDRESS_B, keyFile, nameA);

        await("both nodes see 2 members, got an event from and a reply by the other",
                () -> sawPeer(a, nameB) && sawPeer(b, nameA), a, b);

        for (Node n : List.of(a, b)) {
            String members = n.reports("MEMBERS").stream().filter(m -> m.startsWith("2 ")).findFirst().orElseThrow();
            assertTrue(members.contains(nameA + "@" + ADDRESS_A + ":"), n.name() + " saw " + members);
            assertTrue(members.contains(nameB + "@" + ADDRESS_B + ":"), n.name() + " saw " + members);
        }
        assertTrue(a.reports("REPLY").get(0).endsWith("answered by " + nameB), a.reports("REPLY").toString());
        assertTrue(b.reports("REPLY").get(0).endsWith("answered by " + nameA), b.reports("REPLY").toString());
        // the JVMs joined the group on the veth (and only there: it is the namespace's only interface besides lo)
        for (String ns : List.of(NS_A, NS_B)) {
            String groups = ok(ip, "-n", ns, "maddr", "show", "dev", DEVICE);
            assertTrue(groups.contains("228.8.8.8"), ns + " " + DEVICE + " groups: " + groups);
        }

        stopNode(b);
        stopNode(a);
        assertEquals(0, b.process().exitValue(), "node " + nameB + " exit code");
        assertEquals(0, a.process().exitValue(), "node " + nameA + " exit code");
    }

    private static boolean sawPeer(Node n, String peer) {
        return n.printed(l -> l.startsWith(MulticastNode.PREFIX + "MEMBERS 2 "))
                && !n.reports("EVENT").stream().filter(e -> e.startsWith(peer + " ")).toList().isEmpty()
                && !n.reports("REPLY").stream().filter(r -> r.startsWith(peer + " ")).toList().isEmpty();
    }

    // ---------------------------------------------------------------- namespaces

    private static void configure(String ns, String address) throws Exception {
        ok(ip, "-n", ns, "link", "set", "lo", "up");
        ok(ip, "-n", ns, "addr", "add", address + "/24", "dev", DEVICE);
        ok(ip, "-n", ns, "link", "set", DEVICE, "multicast", "on");
        ok(ip, "-n", ns, "link", "set", DEVICE, "up");
        ok(ip, "-n", ns, "route", "add", "224.0.0.0/4", "dev", DEVICE);
    }

    /** Refuses to go on unless the namespace has only lo and the veth, our addresses and no default route. */
    private static void checkIsolated(String ns, String address) throws Exception {
        Set<String> links = new LinkedHashSet<>();
        for (String line : ok(ip, "-n", ns, "-o", "link", "show").split("\n")) {
            String[] f = line.trim().split(":\\s+");
            if (f.length > 1) {
                links.add(f[1].replaceAll("@.*", ""));
            }
        }
        assertEquals(Set.of("lo", DEVICE), links, ns + " interfaces");
        Set<String> addresses = new LinkedHashSet<>();
        for (String line : ok(ip, "-n", ns, "-o", "-4", "addr", "show").split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 3) {
                addresses.add(f[3]);
            }
        }
        assertEquals(Set.of("127.0.0.1/8", address + "/24"), addresses, ns + " IPv4 addresses");
        assertEquals("", ok(ip, "-n", ns, "route", "show", "default").trim(), ns + " must have no default route");
    }

    private static synchronized void cleanUp() {
        for (Node n : nodes) {
            stopNode(n);
        }
        nodes.clear();
        for (String ns : createdNamespaces) {
            try {
                // anything still in the namespace was started by this test: end it by pid
                for (String pid : run(ip, "netns", "pids", ns).output().split("\\s+")) {
                    if (pid.matches("\\d+")) {
                        ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
                    }
                }
                Result del = run(ip, "netns", "del", ns);
                if (del.exit() != 0) {
                    System.err.println("could not delete network namespace " + ns + ": " + del.output());
                }
            } catch (Exception ex) {
                System.err.println("could not delete network namespace " + ns + ": " + ex);
            }
        }
        createdNamespaces.clear();
    }

    // ---------------------------------------------------------------- nodes

    private static Node startNode(String ns, String domain, String name, String address, Path keyFile, String peer)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(ip, "netns", "exec", ns,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.net.preferIPv4Stack=true", "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                "-Dorg.slf4j.simpleLogger.log.org.jgroups=warn",
                "-cp", testClassPath(),
                MulticastNode.class.getName(),
                domain, name, address, keyFile.toString(), peer, Long.toString(NODE_LIFETIME_S)));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> output = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    output.add(line);
                    System.out.println("[" + name + "] " + line);
                }
            } catch (IOException ex) {
                // the process is gone
            }
        }, "output-" + name);
        reader.setDaemon(true);
        Node node = new Node(name, process, output, reader);
        nodes.add(node);
        reader.start();
        return node;
    }

    /** Closes the node's stdin (it then leaves the domain and exits), and ends it by pid if it does not. */
    private static void stopNode(Node n) {
        Process p = n.process();
        try {
            p.getOutputStream().close();
        } catch (IOException ex) {
            // gone already
        }
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException ex) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void await(String what, java.util.function.BooleanSupplier condition, Node... watched)
            throws InterruptedException {
        try {
            Awaitility.await().atMost(Duration.ofSeconds(AWAIT_S)).pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(50)).pollInSameThread().until(() -> {
                        if (condition.getAsBoolean()) {
                            return true;
                        }
                        for (Node n : watched) {
                            if (!n.process().isAlive()) {
                                n.reader().join(10_000); // the reader has taken the last lines once it ends
                                fail("node " + n.name() + " exited with " + n.process().exitValue()
                                        + " while waiting for: " + what + "\n" + String.join("\n", n.output()));
                            }
                        }
                        return false;
                    });
        } catch (ConditionTimeoutException e) {
            StringBuilder sb = new StringBuilder("timed out after " + AWAIT_S + " s waiting for: " + what);
            for (Node n : watched) {
                sb.append("\n--- ").append(n.name()).append(":\n").append(String.join("\n", n.output()));
            }
            fail(sb.toString());
        }
    }

    /** This module's classes, its test classes and the test JVM's class path (Surefire's, with the dependencies). */
    private static String testClassPath() {
        Set<String> entries = new LinkedHashSet<>();
        entries.add(codeSource(JGroupsTransport.class));
        entries.add(codeSource(MulticastNode.class));
        String surefire = System.getProperty("surefire.test.class.path");
        if (surefire != null && !surefire.isBlank()) {
            entries.add(surefire);
        }
        entries.add(System.getProperty("java.class.path"));
        return String.join(File.pathSeparator, entries);
    }

    private static String codeSource(Class<?> cls) {
        try {
            return Path.of(cls.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException ex) {
            throw new IllegalStateException(ex);
        }
    }

    // ---------------------------------------------------------------- commands

    private static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[1].equals("0");
                }
            }
        } catch (IOException ex) {
            // not Linux
        }
        return false;
    }

    private static String findIp() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return null;
        }
        for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin:/usr/bin:/bin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "ip"))) {
                return Path.of(dir, "ip").toString();
            }
        }
        return null;
    }

    /** Runs a command, asserting that it succeeds; returns its output. */
    private static String ok(String... command) throws Exception {
        Result r = run(command);
        if (r.exit() != 0) {
            fail(String.join(" ", command) + " failed (" + r.exit() + "): " + r.output());
        }
        return r.output();
    }

    private static Result run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out;
        if (!p.waitFor(COMMAND_TIMEOUT_S, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-1, String.join(" ", command) + " timed out");
        }
        out = p.getInputStream().readAllBytes();
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
