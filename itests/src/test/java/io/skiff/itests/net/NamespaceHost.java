package io.skiff.itests.net;

import io.skiff.itests.guest.Commands;
import org.awaitility.core.ConditionTimeoutException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.awaitility.Awaitility.await;

/**
 * A simulated host for guest networking: a network namespace {@code skiffnet-<id>} with a bridge that has the
 * gateway's address (nothing routes out of it; the machine's own interfaces are never touched), and a private
 * libvirtd (with its own virtlogd) running inside that namespace and inside a private mount namespace whose
 * libvirt state, runtime and definition directories are fresh tmpfs mounts — so it never sees or changes the
 * machine's libvirt. Its socket lies outside the tmpfs, for the test's Karaf: {@link #uri()}.
 * {@link #close()} kills every process of the namespace (libvirtd, virtlogd, QEMU, dnsmasq) and deletes it.
 */
public final class NamespaceHost implements AutoCloseable {
    /** Directories the private libvirtd gets fresh (tmpfs) copies of. */
    private static final List<String> PRIVATE_DIRS = List.of("/run/libvirt", "/var/lib/libvirt", "/var/cache/libvirt",
            "/var/log/libvirt", "/etc/libvirt/qemu", "/etc/libvirt/storage", "/etc/libvirt/secrets",
            "/etc/libvirt/nwfilter");

    public final String namespace;
    public final String bridge;
    public final Path dir;

    private NamespaceHost(String namespace, String bridge, Path dir) {
        this.namespace = namespace;
        this.bridge = bridge;
        this.dir = dir;
    }

    /**
     * @param baseDir where the host's files go (a fresh sub-directory is made)
     * @param bridgeAddress the bridge's address with prefix, e.g. {@code 10.254.81.1/24}
     */
    public static NamespaceHost start(Path baseDir, String bridgeAddress) throws IOException {
        String id = UUID.randomUUID().toString().substring(0, 8);
        NamespaceHost host = new NamespaceHost("skiffnet-" + id, "br-skiff", baseDir.resolve("skiffnet-" + id)
                .toAbsolutePath());
        try {
            host.setUp(bridgeAddress);
        } catch (IOException | RuntimeException e) {
            host.close();
            throw e;
        }
        return host;
    }

    private static void run(String... command) {
        Commands.run(Duration.ofSeconds(60), command).orThrow();
    }

    private void setUp(String bridgeAddress) throws IOException {
        Files.createDirectories(dir.resolve("sock"));
        run("ip", "netns", "add", namespace);
        run("ip", "-n", namespace, "link", "set", "lo", "up");
        run("ip", "-n", namespace, "link", "add", bridge, "type", "bridge");
        run("ip", "-n", namespace, "addr", "add", bridgeAddress, "dev", bridge);
        run("ip", "-n", namespace, "link", "set", bridge, "up");
        Files.writeString(dir.resolve("libvirtd.conf"), "unix_sock_dir = \"" + dir.resolve("sock") + "\"\n"
                + "log_outputs = \"3:file:" + dir.resolve("libvirtd.log") + "\"\n");
        StringBuilder script = new StringBuilder("set -e\n");
        for (String d : PRIVATE_DIRS) {
            script.append("mkdir -p ").append(d).append(" && mount -t tmpfs -o mode=755 tmpfs ").append(d).append('\n');
        }
        script.append("mkdir -p /var/log/libvirt/qemu\n");
        script.append("for d in channel/target checkpoint dump nvram ram save snapshot; do "
                + "mkdir -p /var/lib/libvirt/qemu/$d; done\n");
        script.append("chown -R libvirt-qemu:libvirt-qemu /var/lib/libvirt/qemu && chmod 750 /var/lib/libvirt/qemu\n");
        script.append("virtlogd -d -p ").append(dir.resolve("virtlogd.pid")).append('\n');
        script.append("libvirtd -d -f ").append(dir.resolve("libvirtd.conf")).append(" -p ")
                .append(dir.resolve("libvirtd.pid")).append('\n');
        Files.writeString(dir.resolve("start-libvirtd.sh"), script);
        // output to a file: the daemons must not hold our pipes open
        run("sh", "-c", "ip netns exec " + namespace + " unshare --mount --propagation private sh "
                + dir.resolve("start-libvirtd.sh") + " >" + dir.resolve("start-libvirtd.log") + " 2>&1");
        try {
            await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(300))
                    .pollInSameThread()
                    .until(() -> Commands.run(Duration.ofSeconds(20), "virsh", "-c", uri(), "version").ok());
        } catch (ConditionTimeoutException e) {
            throw new IOException("the private libvirtd in " + namespace + " did not answer on " + uri());
        }
    }

    /** @return the libvirt URI of the private libvirtd */
    public String uri() {
        return "qemu:///system?socket=" + dir.resolve("sock/libvirt-sock");
    }

    /** @return a command's result, run inside the namespace */
    public Commands.Result exec(String... command) {
        List<String> cmd = new java.util.ArrayList<>(List.of("ip", "netns", "exec", namespace));
        cmd.addAll(List.of(command));
        return Commands.run(cmd, null, Duration.ofSeconds(60), false);
    }

    /** Kills every process in the namespace (ours: libvirtd, virtlogd, QEMU, dnsmasq), then deletes it. */
    @Override
    public void close() {
        // until no process is left in the namespace, each poll signals those still there: SIGTERM in the first three
        // rounds, then SIGKILL; after ten rounds the namespace is deleted all the same
        int[] round = {0};
        await().forever().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(500)).pollInSameThread().until(() -> {
            Commands.Result pids = Commands.run(Duration.ofSeconds(20), "ip", "netns", "pids", namespace);
            List<String> list = pids.stdout().lines().map(String::strip).filter(s -> s.matches("\\d+")).toList();
            if (list.isEmpty() || round[0] == 10) {
                return true;
            }
            for (String pid : list) {
                Commands.run(Duration.ofSeconds(10), "kill", round[0] < 3 ? "-TERM" : "-KILL", pid);
            }
            round[0]++;
            return false;
        });
        Commands.run(Duration.ofSeconds(20), "ip", "netns", "del", namespace);
    }
}
