package io.skiff.itests.guest;

import org.awaitility.core.ConditionTimeoutException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/** {@code virsh -c qemu:///system ...} for tests: run, list, inspect and clean up domains, pools, volumes. */
public final class Virsh {
    public static final String URI = "qemu:///system";
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private Virsh() {
    }

    /** Runs {@code virsh -q -c qemu:///system args...} and returns its result, whatever its exit code. */
    public static Commands.Result exec(String... args) {
        List<String> cmd = new ArrayList<>(List.of("virsh", "-q", "-c", URI));
        cmd.addAll(Arrays.asList(args));
        return Commands.run(cmd, null, TIMEOUT, false);
    }

    /**
     * Runs {@code virsh -q -c qemu:///system args...} and returns its output (stdout); throws an
     * IllegalStateException with virsh's messages when it fails.
     */
    public static String run(String... args) {
        return exec(args).orThrow().stdout();
    }

    // ---- domains ---------------------------------------------------------------------------

    /** Names of all domains, running or defined. */
    public static List<String> listAllDomains() {
        return lines(run("list", "--all", "--name"));
    }

    /** Names of running domains. */
    public static List<String> listRunningDomains() {
        return lines(run("list", "--name"));
    }

    /** Names of all domains, running or defined (same as {@link #listAllDomains()}). */
    public static List<String> domainNames() {
        return listAllDomains();
    }

    public static boolean domainExists(String name) {
        return listAllDomains().contains(name);
    }

    // ---- QEMU guest agent (virsh qemu-agent-command) ----------------------------------------

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** Sends one guest agent command (JSON) to a running domain; returns the agent's {@code return} value. */
    public static com.fasterxml.jackson.databind.JsonNode agentCommand(String domain, String json) {
        return agentCommand(Virsh::run, domain, json);
    }

    /** As {@link #agentCommand(String, String)}, with {@code virsh} given (e.g. one of a test bed's hosts). */
    public static com.fasterxml.jackson.databind.JsonNode agentCommand(Function<String[], String> virsh, String domain,
                                                                        String json) {
        String out = virsh.apply(new String[] {"qemu-agent-command", domain, "--timeout", "20", json});
        try {
            return JSON.readTree(out).path("return");
        } catch (java.io.IOException e) {
            throw new IllegalStateException("not JSON from qemu-agent-command: " + out, e);
        }
    }

    /**
     * Runs a program in the guest through the agent ({@code guest-exec}, then {@code guest-exec-status} until it
     * exited) and returns its standard output; throws when it exits non-zero or does not finish within 30 s.
     */
    public static String guestExec(String domain, String path, String... args) throws InterruptedException {
        return guestExec(Virsh::run, domain, path, args);
    }

    /** As {@link #guestExec(String, String, String...)}, with {@code virsh} given (e.g. one of a test bed's hosts). */
    public static String guestExec(Function<String[], String> virsh, String domain, String path, String... args)
            throws InterruptedException {
        long pid = guestExecStart(virsh, domain, path, args);
        com.fasterxml.jackson.databind.JsonNode[] last = new com.fasterxml.jackson.databind.JsonNode[1];
        try {
            await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200))
                    .pollInSameThread().until(() -> {
                        last[0] = guestExecStatus(virsh, domain, pid);
                        return last[0].path("exited").asBoolean();
                    });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException(path + " in " + domain + " did not exit within 30 s");
        }
        com.fasterxml.jackson.databind.JsonNode status = last[0];
        String out = new String(java.util.Base64.getDecoder().decode(status.path("out-data").asText("")),
                java.nio.charset.StandardCharsets.UTF_8);
        if (status.path("exitcode").asInt(-1) != 0) {
            throw new IllegalStateException(path + " " + String.join(" ", args) + " in " + domain + ": " + status);
        }
        return out;
    }

    /** Starts a program in the guest through the agent ({@code guest-exec}, output captured); @return its pid */
    public static long guestExecStart(Function<String[], String> virsh, String domain, String path, String... args) {
        com.fasterxml.jackson.databind.node.ObjectNode command = JSON.createObjectNode().put("execute", "guest-exec");
        com.fasterxml.jackson.databind.node.ObjectNode arguments = command.putObject("arguments").put("path", path)
                .put("capture-output", true);
        com.fasterxml.jackson.databind.node.ArrayNode arg = arguments.putArray("arg");
        Arrays.stream(args).forEach(arg::add);
        return agentCommand(virsh, domain, command.toString()).path("pid").asLong(-1);
    }

    /**
     * The agent's {@code guest-exec-status} of a process it started: {@code exited}, {@code exitcode},
     * {@code out-data}; the agent forgets the process once it reported that it exited.
     */
    public static com.fasterxml.jackson.databind.JsonNode guestExecStatus(Function<String[], String> virsh,
                                                                         String domain, long pid) {
        return agentCommand(virsh, domain, "{\"execute\":\"guest-exec-status\",\"arguments\":{\"pid\":" + pid
                + "}}");
    }

    /** Starts a transient domain from an XML file ({@code virsh create}). */
    public static void createTransient(Path xml) {
        run("create", xml.toString());
    }

    /** {@code virsh dominfo} as a map ("State" → "running", "CPU(s)" → "1", ...). */
    public static Map<String, String> dominfo(String name) {
        return keyValues(run("dominfo", name));
    }

    public static String domstate(String name) {
        return run("domstate", name).strip();
    }

    public static String dumpxml(String name) {
        return run("dumpxml", name);
    }

    /** Interfaces of a domain ({@code domiflist}), one row per NIC; empty when it has none. */
    public static List<String> domiflist(String name) {
        return lines(run("domiflist", name));
    }

    /**
     * Destroys (if running) and undefines (if persistent) a domain; no error if it does not exist.
     * Returns true if the domain is gone afterwards.
     */
    public static boolean destroyAndUndefine(String name) {
        if (!domainExists(name)) {
            return true;
        }
        exec("destroy", name);
        if (domainExists(name)) {
            Commands.Result r = exec("undefine", name, "--snapshots-metadata", "--managed-save");
            if (!r.ok()) {
                exec("undefine", name);
            }
        }
        return !domainExists(name);
    }

    /** Destroys and undefines every domain whose name starts with {@code prefix}; returns their names. */
    public static List<String> cleanupDomains(String prefix) {
        List<String> removed = new ArrayList<>();
        for (String d : listAllDomains()) {
            if (d.startsWith(prefix)) {
                destroyAndUndefine(d);
                removed.add(d);
            }
        }
        return removed;
    }

    // ---- storage pools and volumes -----------------------------------------------------------

    /** Names of all storage pools, active or not. */
    public static List<String> listPools() {
        return lines(run("pool-list", "--all", "--name"));
    }

    /** Creates and starts a transient directory pool (gone again after {@link #destroyPool}). */
    public static void createDirPool(String name, Path dir) {
        run("pool-create-as", name, "dir", "--target", dir.toString());
    }

    /** Stops a pool and, if it is persistent, undefines it; its files stay. No error if missing. */
    public static void destroyPool(String name) {
        if (!listPools().contains(name)) {
            return;
        }
        exec("pool-destroy", name);
        if (listPools().contains(name)) {
            exec("pool-undefine", name);
        }
    }

    public static List<String> listVolumes(String pool) {
        List<String> names = new ArrayList<>();
        for (String line : lines(run("vol-list", pool))) {
            String[] parts = line.strip().split("\\s+", 2);
            if (!parts[0].isEmpty()) {
                names.add(parts[0]);
            }
        }
        return names;
    }

    /** Names of the volumes in a pool (same as {@link #listVolumes(String)}); empty if the pool does not exist. */
    public static List<String> volumeNames(String pool) {
        return listPools().contains(pool) ? listVolumes(pool) : List.of();
    }

    /** The directory of a (dir/fs/netfs) pool from its XML, or null. */
    public static String poolTargetPath(String pool) {
        Matcher m = Pattern.compile("<target>\\s*<path>([^<]+)</path>").matcher(run("pool-dumpxml", pool));
        return m.find() ? m.group(1).strip() : null;
    }

    /** Source files of a domain's disks and cdroms ({@code domblklist --details}). */
    public static List<String> diskSources(String domain) {
        List<String> sources = new ArrayList<>();
        for (String line : lines(run("domblklist", domain, "--details"))) {
            String[] cols = line.split("\\s+", 4); // type device target source
            if (cols.length == 4 && !cols[3].equals("-")) {
                sources.add(cols[3]);
            }
        }
        return sources;
    }

    /**
     * Best-effort full clean-up of a storage pool: destroys and undefines every domain with a disk in
     * it, deletes its volumes, then stops, deletes (its empty directory) and undefines the pool.
     * No error if the pool does not exist; never throws (for finally blocks); returns the removed
     * domains.
     */
    public static List<String> destroyDomainsOfPoolAndPool(String pool) {
        List<String> removed = new ArrayList<>();
        try {
            if (!listPools().contains(pool)) {
                return removed;
            }
            exec("pool-start", pool); // an inactive pool cannot list its volumes
            exec("pool-refresh", pool);
            String dir = poolTargetPath(pool);
            List<String> volumePaths = new ArrayList<>();
            for (String v : listVolumes(pool)) {
                volumePaths.add(volumePath(pool, v));
            }
            for (String d : listAllDomains()) {
                try {
                    boolean uses = diskSources(d).stream().anyMatch(src -> volumePaths.contains(src)
                            || (dir != null && src.startsWith(dir.endsWith("/") ? dir : dir + "/")));
                    if (uses && destroyAndUndefine(d)) {
                        removed.add(d);
                    }
                } catch (RuntimeException e) {
                    System.err.println("[virsh] cannot inspect domain " + d + ": " + e.getMessage());
                }
            }
            for (String v : listVolumes(pool)) {
                exec("vol-delete", "--pool", pool, v);
            }
            exec("pool-destroy", pool);
            exec("pool-delete", pool);
            exec("pool-undefine", pool);
        } catch (RuntimeException e) {
            System.err.println("[virsh] clean-up of pool " + pool + " incomplete: " + e.getMessage());
        }
        return removed;
    }

    /** Creates a volume ({@code vol-create-as pool name capacity --format format}), e.g. "1G", "qcow2". */
    public static void createVolume(String pool, String name, String capacity, String format) {
        run("vol-create-as", pool, name, capacity, "--format", format);
    }

    public static String volumePath(String pool, String name) {
        return run("vol-path", "--pool", pool, name).strip();
    }

    public static Map<String, String> volumeInfo(String pool, String name) {
        return keyValues(run("vol-info", "--pool", pool, name));
    }

    /** Deletes a volume; no error if it does not exist. */
    public static void deleteVolume(String pool, String name) {
        if (listVolumes(pool).contains(name)) {
            run("vol-delete", "--pool", pool, name);
        }
    }

    // ---- parsing ------------------------------------------------------------------------------

    static List<String> lines(String text) {
        return text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    static Map<String, String> keyValues(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : text.lines().toList()) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                m.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
            }
        }
        return m;
    }
}
