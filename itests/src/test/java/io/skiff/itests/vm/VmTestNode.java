package io.skiff.itests.vm;

import com.fasterxml.jackson.databind.JsonNode;
import io.skiff.itests.guest.Commands;
import io.skiff.itests.guest.LibvirtEnvironment;
import io.skiff.itests.guest.TestGuest;
import io.skiff.itests.guest.Virsh;
import io.skiff.itests.system.KarafNode;
import io.skiff.itests.system.RestClient;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One all-in-one node for the VM system tests: the built distribution on its own ports, driving the machine's
 * libvirtd (qemu:///system, TCG) with its own storage pool, the test guest imported as image {@code test-guest}
 * (unless {@link Options#noImageImport}), and its cell in compute pool {@code vms}. {@link #stop} deletes every
 * instance, kills the node, removes the domains of those instances and the pool with whatever domains still use it.
 *
 * <p>Each test names its node ({@link #options(String)}); its ports may be moved with
 * {@code -Dskiff.it.<name>.httpPort}, {@code .sshPort} and {@code .transportPort} so that two worktrees can run
 * the suites at once (HTTPS and RMI follow the HTTP port: +4, +2, +3).
 */
final class VmTestNode {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    final KarafNode node;
    final RestClient api;
    /** The imported test guest's image id, or null with {@link Options#noImageImport}. */
    final String imageId;
    private final Options options;

    private VmTestNode(KarafNode node, RestClient api, String imageId, Options options) {
        this.node = node;
        this.api = api;
        this.imageId = imageId;
        this.options = options;
    }

    /** Something done to the unpacked node before its first start (files under {@code etc/}, say). */
    interface Setup {
        void apply(KarafNode node) throws Exception;
    }

    /** How to set up the node; defaults as every VM test had them. */
    static final class Options {
        final String name;
        private String nodeName;
        private String cellName;
        private String domain;
        private String password = "vm-test-secret";
        private String storagePool;
        private int httpPort;
        private int sshPort;
        private int transportPort;
        private boolean importImage = true;
        private Duration upTimeout = Duration.ofSeconds(180);
        private final Map<String, Map<String, String>> configs = new LinkedHashMap<>();
        private final List<Setup> setups = new ArrayList<>();

        private Options(String name) {
            this.name = name;
            this.nodeName = name + "-node";
            this.cellName = name + "-cell";
            this.domain = "skiff-" + name + "-test";
        }

        /** Node directory, transport (cell) name and cluster domain. */
        Options node(String node, String cell, String clusterDomain) {
            this.nodeName = node;
            this.cellName = cell;
            this.domain = clusterDomain;
            return this;
        }

        /**
         * Default ports, each overridable by {@code -Dskiff.it.<name>.httpPort/sshPort/transportPort}; moving only
         * the HTTP port moves the SSH and transport defaults by as much.
         */
        Options ports(int http, int ssh, int transport) {
            this.httpPort = Integer.getInteger("skiff.it." + name + ".httpPort", http);
            int shift = httpPort - http; // a moved HTTP port moves the defaults of the others with it
            this.sshPort = Integer.getInteger("skiff.it." + name + ".sshPort", ssh + shift);
            this.transportPort = Integer.getInteger("skiff.it." + name + ".transportPort", transport + shift);
            return this;
        }

        /** Exactly these ports, whatever the system properties say. */
        Options fixedPorts(int http, int ssh, int transport) {
            this.httpPort = http;
            this.sshPort = ssh;
            this.transportPort = transport;
            return this;
        }

        Options password(String adminPassword) {
            this.password = adminPassword;
            return this;
        }

        Options storagePool(String pool) {
            this.storagePool = pool;
            return this;
        }

        /** The test uploads or imports its own images. */
        Options noImageImport() {
            this.importImage = false;
            return this;
        }

        /** An extra configuration written before the start (replaces the default one of the same PID). */
        Options config(String pid, Map<String, String> properties) {
            configs.put(pid, properties);
            return this;
        }

        Options beforeStart(Setup setup) {
            setups.add(setup);
            return this;
        }

        Options upTimeout(Duration timeout) {
            this.upTimeout = timeout;
            return this;
        }

        int httpPort() {
            return httpPort;
        }

        /** The environment the node is started with. */
        Map<String, String> env() {
            return Map.of("SKIFF_ADMIN_PASSWORD", password);
        }

        VmTestNode start() throws Exception {
            if (httpPort == 0 || storagePool == null) {
                throw new IllegalStateException("ports and storage pool are required");
            }
            return VmTestNode.start(this);
        }
    }

    static Options options(String name) {
        return new Options(name);
    }

    /**
     * The set-up with exactly these ports (GuestOpsIT, SnapshotIT, MediaIT): no {@code -Dskiff.it.*} override, as
     * those tests also use their port constants for SSH and HTTP calls of their own.
     */
    static VmTestNode start(String nodeName, String cellName, String domain, int httpPort, int sshPort,
                            int transportPort, String adminPassword, String storagePool) throws Exception {
        return options(nodeName.replaceFirst("-node$", "")).node(nodeName, cellName, domain)
                .fixedPorts(httpPort, sshPort, transportPort).password(adminPassword).storagePool(storagePool).start();
    }

    private static VmTestNode start(Options o) throws Exception {
        LibvirtEnvironment.ensureUp();
        Path image = TestGuest.image();
        Path archive = Path.of(System.getProperty("skiff.distribution"));
        Path nodes = Path.of(System.getProperty("skiff.nodes", "target/nodes"));
        KarafNode node = KarafNode.unpack(archive, nodes, o.nodeName, o.httpPort);
        removeStalePools(node.home);
        try {
            Map<String, Map<String, String>> configs = cellConfigs(o.cellName, o.transportPort, o.domain, o.storagePool);
            configs.put("io.skiff.core.instances", Map.of("stopTimeoutSeconds", "5"));
            configs.putAll(o.configs);
            configure(node, o.sshPort, configs);
            for (Setup s : o.setups) {
                s.apply(node);
            }
            node.start(o.env());
            RestClient api = new RestClient(node.httpPort, "admin", o.password);
            VmTestNode fixture = new VmTestNode(node, api, null, o);
            InstanceApi vms = fixture.vms();
            fixture.awaitUp();
            String imageId = null;
            if (o.importImage) {
                RestClient.Answer imported = api.post("/images", "{\"name\":\"test-guest\",\"path\":\"" + image + "\"}");
                assertEquals(201, imported.status(), imported.text());
                imageId = imported.body().path("id").asText();
            }
            assertEquals(201, api.post("/pools", "{\"name\":\"vms\"}").status());
            vms.await("cell joins", () -> api.get("/cells/" + o.cellName).status() == 200, Duration.ofSeconds(60));
            assertEquals(200, api.post("/cells/" + o.cellName + "/add-to-pool", "{\"pool\":\"vms\"}").status());
            return new VmTestNode(node, api, imageId, o);
        } catch (Exception | AssertionError e) {
            node.kill(); // the caller's @AfterAll has no fixture to stop
            throw e;
        }
    }

    /**
     * The configurations of a node's cell: on the transport as {@code cellName} in {@code domain}, the only member
     * (TCP discovery on 127.0.0.1); libvirt {@code qemu:///system} with TCG; its volumes in {@code storagePool}.
     */
    static Map<String, Map<String, String>> cellConfigs(String cellName, int transportPort, String domain,
                                                        String storagePool) {
        Map<String, Map<String, String>> configs = new LinkedHashMap<>();
        configs.put("io.skiff.transport", Map.of("nodeName", cellName, "bindAddress", "127.0.0.1",
                "bindPort", Integer.toString(transportPort), "portRange", "0", "discovery", "tcp",
                "members", "127.0.0.1[" + transportPort + "]", "domain", domain));
        configs.put("io.skiff.hypervisor.libvirt", Map.of("uri", "qemu:///system", "accel", "tcg"));
        configs.put("io.skiff.storage.local", Map.of("uri", "qemu:///system", "poolName", storagePool));
        configs.put("io.skiff.cell.instances", Map.of("storagePool", storagePool));
        return configs;
    }

    /** Moves the unpacked node's SSH port to {@code sshPort} and writes {@code configs}, in their order. */
    static void configure(KarafNode node, int sshPort, Map<String, Map<String, String>> configs) throws IOException {
        node.replaceInFile("etc/org.apache.karaf.shell.cfg", "sshPort = " + (node.httpPort + 1), "sshPort = " + sshPort);
        for (Map.Entry<String, Map<String, String>> c : configs.entrySet()) {
            node.writeConfig(c.getKey(), c.getValue());
        }
    }

    /**
     * Writes the Core's instance settings ({@code etc/io.skiff.core.instances.cfg}) and waits until the instance
     * manager has taken them: its {@code @Modified} method sets them, then logs "instance settings updated". The
     * properties must differ from the node's current ones (else Config Admin updates nothing and nothing is logged).
     */
    static void writeInstanceSettings(KarafNode node, Map<String, String> properties) throws Exception {
        node.writeConfigAndAwaitLog("io.skiff.core.instances", properties, "instance settings updated",
                Duration.ofSeconds(60));
    }

    /** The instance helpers, with the node's log tail in every failure message. */
    InstanceApi vms() {
        return new InstanceApi(api, () -> "karaf.log tail:\n" + InstanceApi.tail(node.log()));
    }

    /**
     * A request to the node's REST API ({@code path} below {@code /api/v1}) as admin, for what {@link RestClient}
     * does not do: files streamed up or down. Times out after 5 minutes.
     */
    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort + "/api/v1" + path))
                .timeout(Duration.ofMinutes(5)).header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString(("admin:" + options.password).getBytes(StandardCharsets.UTF_8)));
    }

    /** Sends {@code body} to an upload resource ({@code /images/upload?…}, {@code /media/upload?…}) as admin. */
    HttpResponse<String> upload(String path, byte[] body) throws Exception {
        return HTTP.send(request(path).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The node's Karaf SSH port (after any {@code -Dskiff.it.<name>.sshPort}). */
    int sshPort() {
        return options.sshPort;
    }

    /** Runs one Karaf shell command over SSH as admin; returns what it printed (stdout and stderr). */
    String shell(String command) {
        Commands.Result r = Commands.run(Duration.ofMinutes(3), "sshpass", "-p", options.password, "ssh", "-p",
                Integer.toString(options.sshPort), "-o", "StrictHostKeyChecking=no", "-o",
                "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "admin@127.0.0.1", command);
        return r.stdout() + r.stderr();
    }

    /** Waits until {@code GET /health} answers UP (after the start or a restart of the node). */
    void awaitUp() throws Exception {
        RestClient anonymous = new RestClient(node.httpPort, null, null);
        vms().await("health UP", () -> {
            RestClient.Answer h = anonymous.get("/health");
            return h.status() == 200 && h.text().contains("\"UP\"");
        }, options.upTimeout);
    }

    /**
     * Waits until the node's cell is ONLINE in the Core's inventory: health UP says the Core serves, not that the
     * cell of the same node has re-joined (after a restart the Core answers a create before that with 409 "pool
     * 'vms' has no enabled, online cell").
     */
    void awaitCellOnline(Duration timeout) throws Exception {
        vms().await("cell " + options.cellName + " ONLINE", () -> {
            RestClient.Answer c = api.get("/cells/" + options.cellName);
            return c.status() == 200 && c.body().path("status").asText().equals("ONLINE");
        }, timeout);
    }

    /** Starts the node again with its environment (after a kill or stop) and waits for health UP. */
    void restart() throws Exception {
        node.start(options.env());
        awaitUp();
    }

    /**
     * Removes libvirt pools (and their domains) whose directory lies under {@code home}: left by a run of the same
     * node that was killed before its clean-up, they would make libvirt refuse this run's pool for the same
     * directory ("Storage source conflict").
     */
    static void removeStalePools(Path home) {
        String prefix = home.toAbsolutePath().normalize() + "/";
        for (String pool : Virsh.listPools()) {
            String path = Virsh.poolTargetPath(pool);
            if (path != null && (path + "/").startsWith(prefix)) {
                System.out.println("[" + home.getFileName() + "] removing stale storage pool " + pool + " at " + path);
                if (java.nio.file.Files.isDirectory(Path.of(path))) {
                    Virsh.destroyDomainsOfPoolAndPool(pool); // its domains and volumes too, while they can be listed
                }
                Virsh.destroyPool(pool); // the directory went with the old node: stop and undefine whatever is left
            }
        }
    }

    /** Deletes every instance (waiting up to {@code deleteTimeout}), then kills the node and removes the pool. */
    void stop(Duration deleteTimeout) throws Exception {
        stop(this, options.storagePool, deleteTimeout);
    }

    /**
     * Deletes every instance (waiting up to {@code deleteTimeout}), then kills the node, removes what is left of
     * those instances' domains (also those whose disks live outside the pool) and the pool.
     */
    static void stop(VmTestNode fixture, String storagePool, Duration deleteTimeout) throws Exception {
        stop(fixture, storagePool, deleteTimeout, List.of());
    }

    /** As {@link #stop(VmTestNode, String, Duration)}, also removing the domains of {@code moreInstanceIds}. */
    static void stop(VmTestNode fixture, String storagePool, Duration deleteTimeout,
                     Collection<String> moreInstanceIds) throws Exception {
        Set<String> instanceIds = new LinkedHashSet<>(moreInstanceIds);
        try {
            if (fixture != null) {
                RestClient api = fixture.api;
                RestClient.Answer list = api.get("/instances");
                if (list.status() == 200) {
                    for (JsonNode i : list.body()) {
                        instanceIds.add(i.path("id").asText());
                        api.delete("/instances/" + i.path("id").asText() + "?force=true");
                    }
                    fixture.vms().await("instances deleted", () -> api.get("/instances").body() == null
                            || api.get("/instances").body().isEmpty(), deleteTimeout);
                }
            }
        } finally {
            if (fixture != null) {
                fixture.node.kill();
            }
            for (String id : instanceIds) {
                if (Virsh.domainExists("skiff-" + id)) {
                    Virsh.exec("destroy", "skiff-" + id);
                    Virsh.exec("undefine", "skiff-" + id, "--nvram");
                }
            }
            Virsh.destroyDomainsOfPoolAndPool(storagePool);
        }
    }
}
