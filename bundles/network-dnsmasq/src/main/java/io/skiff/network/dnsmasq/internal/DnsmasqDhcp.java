package io.skiff.network.dnsmasq.internal;

import io.skiff.api.spi.DhcpLease;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Serves the cell's static leases with dnsmasq (DHCP only: {@code port=0}) bound to the cell's bridge. The leases
 * live in a {@code dhcp-hostsfile} and the per-pool options (gateway, DNS, domain) in a {@code dhcp-optsfile};
 * dnsmasq re-reads both on SIGHUP. The subnets ({@code dhcp-range ... static}) are in its configuration file,
 * which dnsmasq reads only at start: when they change, dnsmasq is restarted. dnsmasq keeps handing an address to the
 * MAC that leased it last, so when a lease goes away (an instance deleted or moved) dnsmasq is restarted with
 * that lease removed from its lease file: the address is free for the next instance at once.
 */
final class DnsmasqDhcp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DnsmasqDhcp.class);

    private final Path dir;
    private final String bridge;
    private final List<String> prefix;
    private final String leaseTime;
    private Process process;
    private String runningConfig;
    private java.util.Set<String> served = java.util.Set.of();
    private final Map<String, String> written = new java.util.HashMap<>();

    /**
     * @param dir where the configuration, hosts, options, lease and log files go
     * @param bridge the interface to serve
     * @param dnsmasq the dnsmasq program
     * @param netns a network namespace to run it in, or empty
     * @param leaseTime lease time in dnsmasq's syntax
     */
    DnsmasqDhcp(Path dir, String bridge, String dnsmasq, String netns, String leaseTime) {
        this.dir = dir;
        this.bridge = bridge;
        this.leaseTime = leaseTime;
        List<String> cmd = new ArrayList<>();
        if (netns != null && !netns.isBlank()) {
            cmd.addAll(List.of("ip", "netns", "exec", netns.strip()));
        }
        cmd.add(dnsmasq);
        this.prefix = List.copyOf(cmd);
    }

    static String hostsFile(List<DhcpLease> leases) {
        StringBuilder b = new StringBuilder();
        leases.stream().sorted(Comparator.comparing(DhcpLease::address)).forEach(l -> b
                .append(l.mac()).append(",set:").append(tag(l)).append(',').append(l.address())
                .append(',').append(l.hostname()).append('\n'));
        return b.toString();
    }

    static String optionsFile(List<DhcpLease> leases) {
        Map<String, DhcpLease> pools = new TreeMap<>();
        leases.forEach(l -> pools.putIfAbsent(tag(l), l));
        StringBuilder b = new StringBuilder();
        pools.forEach((tag, a) -> {
            if (a.gateway() != null) {
                b.append("tag:").append(tag).append(",option:router,").append(a.gateway()).append('\n');
            }
            if (a.dnsServers() != null && !a.dnsServers().isEmpty()) {
                b.append("tag:").append(tag).append(",option:dns-server,").append(String.join(",", a.dnsServers()))
                        .append('\n');
            }
            if (a.domain() != null && !a.domain().isEmpty()) {
                b.append("tag:").append(tag).append(",option:domain-name,").append(a.domain()).append('\n');
            }
        });
        return b.toString();
    }

    String config(List<DhcpLease> leases) {
        TreeSet<String> ranges = new TreeSet<>();
        for (DhcpLease l : leases) {
            long address = parse(l.address());
            int prefixLength = l.prefixLength();
            long mask = (0xFFFFFFFFL << (32 - prefixLength)) & 0xFFFFFFFFL;
            ranges.add("dhcp-range=" + format(address & mask) + ",static," + format(mask) + "," + leaseTime);
        }
        return String.join("\n", List.of(
                "# written by the Skiff cell; dnsmasq serves only the static leases of the cell's instances",
                "port=0",
                "bind-interfaces",
                "interface=" + bridge,
                "dhcp-authoritative",
                "dhcp-hostsfile=" + dir.resolve("hosts"),
                "dhcp-optsfile=" + dir.resolve("options"),
                "dhcp-leasefile=" + dir.resolve("leases"),
                "pid-file=" + dir.resolve("dnsmasq.pid"),
                "log-facility=" + dir.resolve("dnsmasq.log"),
                "log-dhcp",
                String.join("\n", ranges))) + "\n";
    }

    private static String tag(DhcpLease l) {
        return "skiff-" + l.addressPoolId();
    }

    /** Writes the leases; signals dnsmasq when they changed, restarts it when the subnets changed. */
    synchronized void update(List<DhcpLease> leases) throws IOException {
        Files.createDirectories(dir);
        if (leases.isEmpty()) {
            stop();
            pruneLeases(java.util.Set.of());
            served = java.util.Set.of();
            write("hosts", "");
            return;
        }
        boolean hostsChanged = write("hosts", hostsFile(leases));
        boolean optionsChanged = write("options", optionsFile(leases));
        String config = config(leases);
        write("dnsmasq.conf", config);
        java.util.Set<String> now = pairs(leases);
        boolean leaseGone = !now.containsAll(served);
        if (process == null || !process.isAlive() || !config.equals(runningConfig) || leaseGone) {
            stop();
            pruneLeases(now);
            start(config);
            served = now;
        } else if (hostsChanged || optionsChanged) {
            served = now;
            signal("HUP");
            LOG.info("dnsmasq on {}: {} static lease(s) reloaded", bridge, leases.size());
        }
    }

    /** "mac address" of each lease, the way dnsmasq's lease file pairs them. */
    private static java.util.Set<String> pairs(List<DhcpLease> leases) {
        java.util.Set<String> out = new java.util.HashSet<>();
        leases.forEach(l -> out.add(l.mac().toLowerCase(java.util.Locale.ROOT) + " " + l.address()));
        return out;
    }

    /** Drops the leases (lines {@code <expiry> <mac> <ip> <name> <client-id>}) that are no longer served. */
    private void pruneLeases(java.util.Set<String> served) throws IOException {
        Path file = dir.resolve("leases");
        if (!Files.exists(file)) {
            return;
        }
        List<String> kept = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] f = line.split(" ");
            if (f.length >= 3 && served.contains(f[1].toLowerCase(java.util.Locale.ROOT) + " " + f[2])) {
                kept.add(line);
            }
        }
        Files.write(file, kept, StandardCharsets.UTF_8);
    }

    private void start(String config) throws IOException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add("--keep-in-foreground");
        cmd.add("--conf-file=" + dir.resolve("dnsmasq.conf"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("dnsmasq.out").toFile())).start();
        try {
            if (p.waitFor(300, TimeUnit.MILLISECONDS)) {
                throw new IOException("dnsmasq on " + bridge + " exited at once (" + p.exitValue() + "): "
                        + tail(dir.resolve("dnsmasq.out")));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = p;
        runningConfig = config;
        LOG.info("dnsmasq on {} started (pid {}): {}", bridge, p.pid(), String.join(" ", cmd));
    }

    private static String tail(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8).strip();
            return text.length() > 400 ? text.substring(text.length() - 400) : text;
        } catch (IOException e) {
            return "";
        }
    }

    private void signal(String signal) {
        try {
            new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            LOG.warn("dnsmasq on {}: could not send SIG{}: {}", bridge, signal, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stop() {
        Process p = process;
        process = null;
        runningConfig = null;
        if (p != null && p.isAlive()) {
            p.destroy();
            try {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            LOG.info("dnsmasq on {} stopped", bridge);
        }
    }

    /** @return whether the file's content changed (the cell calls this every report: compared in memory) */
    private boolean write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        if (content.equals(written.get(name)) && Files.exists(file)) {
            return false;
        }
        if (Files.exists(file) && Files.readString(file, StandardCharsets.UTF_8).equals(content)) {
            written.put(name, content);
            return false;
        }
        Path temp = dir.resolve(name + ".tmp");
        Files.writeString(temp, content, StandardCharsets.UTF_8);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        written.put(name, content);
        return true;
    }

    @Override
    public synchronized void close() {
        stop();
    }

    private static long parse(String address) {
        long v = 0;
        for (String part : address.split("\\.")) {
            v = (v << 8) | Integer.parseInt(part);
        }
        return v;
    }

    private static String format(long v) {
        return ((v >> 24) & 255) + "." + ((v >> 16) & 255) + "." + ((v >> 8) & 255) + "." + (v & 255);
    }
}
