package io.skiff.itests.multihost;

import io.skiff.itests.guest.Commands;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The multi-host test bed of {@code scripts/testbed.sh} from a test: N simulated hosts (a network namespace plus
 * private mount and UTS namespaces, each with its own libvirtd listening on the host's address) and an NFS server
 * (nfs-ganesha), wired through a bridge in a namespace of its own. Addresses exist only inside the bed; the test
 * reaches a host's ports through {@link #forward(int, int)} on the machine's loopback.
 *
 * <p>{@link #close()} removes everything the bed started; a JVM shutdown hook does so too, and a bed whose owner
 * (this JVM) was killed is removed by the next {@link #up} ({@code testbed.sh clean-stale}).
 */
public final class TestBed implements AutoCloseable {
    private static final Duration UP_TIMEOUT = Duration.ofMinutes(3);

    private final Path script;
    private final Path dir;
    private final Map<String, String> env;
    private final Thread shutdownHook;
    private volatile boolean closed;

    private TestBed(Path script, Path dir, Map<String, String> env) {
        this.script = script;
        this.dir = dir;
        this.env = env;
        this.shutdownHook = new Thread(this::down, "test bed " + dir.getFileName() + " removal");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Builds a bed of {@code hosts} hosts (and the NFS server when {@code nfs}) with its state under {@code dir}.
     *
     * @throws IllegalStateException with the script's output when the bed could not be built (nothing is left)
     */
    public static TestBed up(Path dir, int hosts, boolean nfs) throws IOException {
        return up(dir, hosts, nfs, false);
    }

    /**
     * The same, and with {@code leases} every host's libvirtd uses virtlockd with the lockspace
     * {@link #leaseDirectory()} ({@code testbed.sh up --leases}).
     */
    public static TestBed up(Path dir, int hosts, boolean nfs, boolean leases) throws IOException {
        Path script = script();
        Files.createDirectories(dir);
        Path log = dir.resolve("testbed.log");
        List<String> command = new ArrayList<>(List.of("env",
                "SKIFF_TESTBED_OWNER=" + ProcessHandle.current().pid(), script.toString(), "up", dir.toString(),
                Integer.toString(hosts)));
        if (!nfs) {
            command.add("--no-nfs");
        }
        if (leases) {
            command.add("--leases");
        }
        // output to a file: the daemons it starts must not hold our pipes open
        Commands.Result r = Commands.run(UP_TIMEOUT, "sh", "-c", String.join(" ", command) + " >" + log + " 2>&1");
        if (!r.ok()) {
            throw new IllegalStateException("the test bed did not come up:\n" + Files.readString(log));
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : Files.readAllLines(dir.resolve("bed.env"))) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                env.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        System.out.println("[testbed] " + String.join(", ", env.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).toList()));
        return new TestBed(script, dir, env);
    }

    /** @return {@code scripts/testbed.sh} of this checkout */
    private static Path script() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("scripts/testbed.sh");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("scripts/testbed.sh not found above " + Path.of("").toAbsolutePath());
    }

    /** @return the address of host {@code n} (1-based) inside the bed */
    public String hostAddress(int n) {
        return required("HOST_" + n + "_IP");
    }

    /**
     * @return where each host's QEMU reads its migration TLS certificates ({@code migrate_tls_x509_cert_dir}): the
     *     same path in every host, on the host's private tmpfs (seen by its libvirtd, its QEMUs and a cell in it)
     */
    public String migrationTlsDir() {
        return required("MIGRATION_TLS_DIR");
    }

    /**
     * @return the directory every host's virtlockd uses as its lockspace ({@code file_lockspace_dir}), seen by all
     *     hosts at the same path: a cell's {@code leaseDirectory} (only on a bed made with leases)
     */
    public String leaseDirectory() {
        return required("LEASE_DIR");
    }

    /** @return the NFS server's address inside the bed */
    public String nfsAddress() {
        return required("NFS_IP");
    }

    /** @return the NFS export's path on the server, e.g. {@code /export} */
    public String nfsExport() {
        return required("NFS_EXPORT");
    }

    /** @return the exported directory as the machine sees it (to inspect what the hosts wrote) */
    public Path nfsDirectory() {
        return Path.of(required("NFS_DIR"));
    }

    /**
     * @return the command prefix that runs a program inside host {@code n} (its network, mount and UTS namespaces),
     *         e.g. for {@code KarafNode.start}
     */
    public List<String> launcher(int n) {
        return List.of("nsenter", "-t", required("HOST_" + n + "_ANCHOR"), "-n", "-m", "-u", "--");
    }

    /** Runs a command inside host {@code n}. */
    public Commands.Result exec(int n, String... command) {
        List<String> full = new ArrayList<>(launcher(n));
        full.addAll(List.of(command));
        return Commands.run(full, null, Duration.ofMinutes(2), false);
    }

    /** Runs virsh against host {@code n}'s own libvirtd, the independent witness of what runs there. */
    public Commands.Result virsh(int n, String... args) {
        List<String> full = new ArrayList<>(List.of("virsh", "-c", "qemu:///system"));
        full.addAll(List.of(args));
        return exec(n, full.toArray(String[]::new));
    }

    /** @return the names of the domains host {@code n}'s libvirtd knows (running or not) */
    public List<String> domains(int n) {
        return virsh(n, "list", "--all", "--name").orThrow().stdout().lines().map(String::strip)
                .filter(s -> !s.isEmpty()).toList();
    }

    /** @return the running domains of host {@code n} ({@code virsh list --name}); none when its libvirtd is down */
    public List<String> running(int n) {
        Commands.Result result = virsh(n, "list", "--name");
        return result.exitCode() != 0 ? List.of() : result.stdout().lines().map(String::strip)
                .filter(s -> !s.isEmpty()).toList();
    }

    /** Plugs ({@code true}) or pulls ({@code false}) host {@code n}'s cable. */
    public void link(int n, boolean up) {
        run("link", dir.toString(), Integer.toString(n), up ? "up" : "down");
    }

    /** Plugs ({@code true}) or pulls ({@code false}) the NFS server's cable: its clients' packets go nowhere. */
    public void nfsLink(boolean up) {
        run("link", dir.toString(), "nfs", up ? "up" : "down");
    }

    /** Host {@code n} dies: SIGKILL to everything in it (its Karaf, libvirtd and QEMUs) at once. */
    public void crash(int n) {
        run("crash", dir.toString(), Integer.toString(n));
    }

    /**
     * A crashed host {@code n} boots again: libvirt's runtime state cleared, its daemons started (domains defined
     * there stay, shut off); its Karaf is the caller's to start.
     */
    public void boot(int n) {
        run("boot", dir.toString(), Integer.toString(n));
    }

    /** Kills host {@code n}'s libvirtd with SIGKILL (its guests live on), or starts it again and waits for it. */
    public void libvirtd(int n, boolean running) {
        run("libvirtd", dir.toString(), Integer.toString(n), running ? "start" : "kill");
    }

    /**
     * Makes a port of host {@code n} reachable on the machine's loopback.
     *
     * @return the loopback port that reaches {@code port} on the host's address
     */
    public int forward(int n, int port) {
        int local = freeLoopbackPort();
        run("forward", dir.toString(), Integer.toString(n), Integer.toString(port), Integer.toString(local));
        return local;
    }

    private static int freeLoopbackPort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void run(String... args) {
        List<String> command = new ArrayList<>(List.of(script.toString()));
        command.addAll(List.of(args));
        Commands.run(command, null, Duration.ofMinutes(1), false).orThrow();
    }

    private String required(String key) {
        String v = env.get(key);
        if (v == null) {
            throw new IllegalArgumentException("the test bed has no " + key + " (bed.env: " + env + ")");
        }
        return v;
    }

    /** Kills everything the bed started (daemons, QEMU, Karaf nodes inside it, forwards) and deletes it. */
    @Override
    public void close() {
        down();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run: nothing left to remove
        }
    }

    private synchronized void down() {
        if (closed) {
            return;
        }
        closed = true;
        Commands.run(List.of(script.toString(), "down", dir.toString()), null, Duration.ofMinutes(2), false);
    }
}
