package io.skiff.itests.vm;

import com.fasterxml.jackson.databind.JsonNode;
import io.skiff.itests.guest.Commands;
import io.skiff.itests.guest.LibvirtEnvironment;
import io.skiff.itests.guest.TestGuest;
import io.skiff.itests.guest.Virsh;
import io.skiff.itests.system.KarafNode;
import io.skiff.itests.system.RestClient;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Real virtual machines on a Cell-only node: the built distribution runs as two Karaf processes on loopback,
 * an all-in-one Core (its own cell left unallocated) and a Cell-only node (the only cell of the compute pool),
 * both on the machine's libvirtd (qemu:///system, QEMU under TCG) with their own storage pools. The test guest
 * has no network interface.
 * <ol>
 * <li>an instance placed on the Cell-only node is created from an image the Cell fetched from the Core over
 * HTTP ({@code GET /api/v1/images/{id}/content} with a one-time token), runs and prints
 * {@code SKIFF-GUEST-READY} on its console, read through the Core's REST API;</li>
 * <li>with two guests on the Cell node, {@code kill -9} of the Cell's Karaf and a restart leave both guests
 * running with the same libvirt domain ids, and the Core reports both running with fresh live figures;</li>
 * <li>deleting both (force) leaves no domain and no volume.</li>
 * </ol>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CellNodeResyncIT {
    private static final String PASSWORD = "resync-test-secret";
    private static final Map<String, String> CORE_ENV = Map.of("SKIFF_ADMIN_PASSWORD", PASSWORD);
    private static final String DOMAIN = "skiff-resync-test";
    private static final String MEMBERS = "127.0.0.1[27870],127.0.0.1[27871]";
    private static final String CORE_NODE = "resync-core";
    private static final String CELL_NODE = "resync-cell";
    private static final String COMPUTE_POOL = "resync";
    private static final String CORE_STORAGE_POOL = "skiff-itest-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String CELL_STORAGE_POOL = "skiff-itest-" + UUID.randomUUID().toString().substring(0, 8);

    private static KarafNode core;
    private static KarafNode cell;
    private static RestClient api;
    private static String imageId;
    private static String imageSha256;
    private static String idA;
    private static String idB;

    @BeforeAll
    static void startCoreAndCell() throws Exception {
        LibvirtEnvironment.ensureUp();
        Path image = TestGuest.image();
        Path archive = Path.of(System.getProperty("skiff.distribution"));
        Path nodes = Path.of(System.getProperty("skiff.nodes", "target/nodes"));
        System.out.println("[resync] storage pools: core " + CORE_STORAGE_POOL + ", cell " + CELL_STORAGE_POOL);

        core = KarafNode.unpack(archive, nodes, "resync-core", 8781);
        core.writeConfig("io.skiff.transport", Map.of("nodeName", CORE_NODE, "bindAddress", "127.0.0.1",
                "bindPort", "27870", "portRange", "0", "discovery", "tcp", "members", MEMBERS, "domain", DOMAIN));
        nodeVmConfig(core, CORE_STORAGE_POOL);
        core.writeConfig("io.skiff.core.instances", Map.of("stopTimeoutSeconds", "5"));

        cell = KarafNode.unpack(archive, nodes, "resync-cell", 8881);
        cell.replaceInFile("etc/org.apache.karaf.features.cfg", "skiff-allinone", "skiff-cell");
        cell.writeConfig("io.skiff.transport", Map.of("nodeName", CELL_NODE, "bindAddress", "127.0.0.1",
                "bindPort", "27871", "portRange", "0", "discovery", "tcp", "members", MEMBERS, "domain", DOMAIN));
        nodeVmConfig(cell, CELL_STORAGE_POOL);

        core.start(CORE_ENV);
        api = new RestClient(core.httpPort, "admin", PASSWORD);
        awaitCoreUp();
        // every node of a domain needs the cluster key the first node generated
        KarafNode.copy(core.home.resolve("etc/skiff-cluster.key"), cell.home.resolve("etc/skiff-cluster.key"));
        cell.start(Map.of());

        RestClient.Answer imported = api.post("/images", "{\"name\":\"test-guest\",\"path\":\"" + image + "\"}");
        assertEquals(201, imported.status(), imported.text());
        imageId = imported.body().path("id").asText();
        imageSha256 = imported.body().path("sha256").asText();
        assertFalse(imageSha256.isEmpty(), imported.text());

        RestClient.Answer pool = api.post("/pools", "{\"name\":\"" + COMPUTE_POOL + "\",\"description\":\"resync test\"}");
        assertEquals(201, pool.status(), pool.text());
        awaitCellOnline(Duration.ofSeconds(180));
        RestClient.Answer added = api.post("/cells/" + CELL_NODE + "/add-to-pool", "{\"pool\":\"" + COMPUTE_POOL + "\"}");
        assertEquals(200, added.status(), added.text());
        // the Core's own cell stays unallocated, so the scheduler can only place on the Cell-only node
        await("the core's own cell is known", () -> api.get("/cells/" + CORE_NODE).status() == 200, Duration.ofSeconds(60));
        JsonNode coreCell = api.get("/cells/" + CORE_NODE).body();
        assertTrue(coreCell.path("poolId").isNull() || coreCell.path("poolId").isMissingNode(), coreCell.toString());
        // The cell's first re-sync runs with its first instance report after the hypervisor is bound; a create
        // that reaches the cell before it races with it (the re-sync takes the fresh volumes without a domain for
        // a lost definition and defines the domain concurrently with the Core's define step). Let it pass first:
        // InstanceAgent.resync logs its end, done or failed (as before, the tests go on after 30 s without it).
        try {
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(250)).pollInSameThread()
                    .until(() -> {
                        String log = cell.log();
                        return log.contains("cell " + CELL_NODE + ": re-sync done")
                                || log.contains("cell " + CELL_NODE + ": re-sync failed");
                    });
        } catch (ConditionTimeoutException e) {
            System.out.println("[resync] no end of the cell's first re-sync in its karaf.log within 30 s; going on");
        }
    }

    private static void nodeVmConfig(KarafNode node, String storagePool) throws Exception {
        node.writeConfig("io.skiff.hypervisor.libvirt", Map.of("uri", "qemu:///system", "accel", "tcg"));
        node.writeConfig("io.skiff.storage.local", Map.of("uri", "qemu:///system", "poolName", storagePool));
        node.writeConfig("io.skiff.cell.instances", Map.of("storagePool", storagePool));
    }

    @AfterAll
    static void stopAll() throws Exception {
        try {
            if (api != null && core != null && core.alive()) {
                RestClient.Answer list = api.get("/instances");
                if (list.status() == 200 && list.body() != null && !list.body().isEmpty()) {
                    for (JsonNode i : list.body()) {
                        api.delete("/instances/" + i.path("id").asText() + "?force=true");
                    }
                    try {
                        Awaitility.await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO)
                                .pollInterval(Duration.ofMillis(500)).pollInSameThread().until(() -> {
                                    RestClient.Answer l = api.get("/instances");
                                    return l.status() == 200 && l.body() != null && l.body().isEmpty();
                                });
                    } catch (ConditionTimeoutException e) {
                        // as before: the kills and the pool clean-up below remove what is left
                    }
                }
            }
        } catch (Exception e) {
            System.err.println("[resync] clean-up through the API incomplete: " + e);
        } finally {
            try {
                if (cell != null) {
                    cell.kill();
                }
            } finally {
                if (core != null) {
                    core.kill();
                }
                List<String> removed = new ArrayList<>(Virsh.destroyDomainsOfPoolAndPool(CELL_STORAGE_POOL));
                removed.addAll(Virsh.destroyDomainsOfPoolAndPool(CORE_STORAGE_POOL));
                if (!removed.isEmpty()) {
                    System.err.println("[resync] clean-up had to remove domains left behind: " + removed);
                }
            }
        }
    }

    // ---- 1: an instance on the Cell-only node, from an image the Cell fetched from the Core ----------------

    @Test
    @Order(1)
    void instanceOnCellNodeBootsFromImageFetchedFromCore() throws Exception {
        long t0 = System.nanoTime();
        String taskId = create("resync-a");
        JsonNode task = awaitTask(taskId, Duration.ofSeconds(180));
        assertEquals("SUCCEEDED", task.path("state").asText(), task.toString());
        double running = seconds(t0);
        JsonNode a = instance("resync-a");
        idA = a.path("id").asText();
        assertEquals("RUNNING", a.path("state").asText(), a.toString());
        assertEquals(CELL_NODE, a.path("cellId").asText(), "placed on the Cell-only node: " + a);
        await("SKIFF-GUEST-READY in resync-a's console log (through the Core)",
                () -> consoleLog("resync-a").contains(TestGuest.READY), Duration.ofSeconds(120));
        double ready = seconds(t0);
        System.out.printf("[resync] resync-a on %s: create accepted → running %.1f s, → %s %.1f s%n",
                CELL_NODE, running, TestGuest.READY, ready);

        // the domain runs, its disk is a volume of the Cell node's pool ...
        String domain = "skiff-" + idA;
        assertTrue(Virsh.listRunningDomains().contains(domain), "domain " + domain + " runs: " + Virsh.listRunningDomains());
        List<String> disks = Virsh.diskSources(domain);
        String cellPoolDir = Virsh.poolTargetPath(CELL_STORAGE_POOL);
        assertTrue(cellPoolDir != null && disks.stream().anyMatch(d -> d.startsWith(cellPoolDir + "/")),
                "the system disk is in the cell's pool " + cellPoolDir + ": " + disks);
        assertTrue(Virsh.volumeNames(CORE_STORAGE_POOL).isEmpty(), "nothing in the core node's pool: "
                + Virsh.volumeNames(CORE_STORAGE_POOL));
        // ... a linked clone of the Cell node's own cached copy of the image, downloaded from the Core ...
        Path cached = cell.home.resolve("data/skiff/cell/images/" + imageId + ".qcow2");
        assertTrue(Files.isRegularFile(cached), "the cell cached the image at " + cached);
        assertEquals(imageSha256, sha256(cached), "the cell's copy matches the catalogue's checksum");
        assertFalse(Files.exists(core.home.resolve("data/skiff/cell/images/" + imageId + ".qcow2")),
                "the core node's own cell did not fetch the image");
        String system = disks.stream().filter(d -> d.startsWith(cellPoolDir + "/")).findFirst().orElseThrow();
        String info = Commands.run(Duration.ofSeconds(30), "qemu-img", "info", "-U", system).orThrow().stdout();
        assertTrue(info.contains(cached.toAbsolutePath().normalize().toString())
                        || info.contains(cached.toRealPath().toString()),
                "the volume's backing file is the cell's cached image " + cached + ":\n" + info);
        // ... and the instance is the Cell node's: its file lives there, not on the core node
        assertTrue(Files.exists(cell.home.resolve("data/skiff/cell/instances/" + idA + ".json")));
        assertFalse(Files.exists(core.home.resolve("data/skiff/cell/instances/" + idA + ".json")));

        // the content endpoint the Cell used does not stream to a made-up bearer token
        HttpResponse<InputStream> bogus = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + core.httpPort + "/api/v1/images/" + imageId + "/content"))
                .header("Authorization", "Bearer not-a-transfer-token").timeout(Duration.ofSeconds(20)).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream ignored = bogus.body()) {
            assertNotEquals(200, bogus.statusCode(), "a made-up token must not fetch the image");
            assertTrue(bogus.statusCode() == 401 || bogus.statusCode() == 403, "status " + bogus.statusCode());
        }
    }

    // ---- 2: kill -9 of the Cell node's Karaf with two guests, restart, re-sync ------------------------------

    @Test
    @Order(2)
    void killedCellNodeResyncsWithRunningGuests() throws Exception {
        if (idA == null) {
            assertEquals("SUCCEEDED", awaitTask(create("resync-a"), Duration.ofSeconds(180)).path("state").asText());
            idA = instance("resync-a").path("id").asText();
        }
        long t0 = System.nanoTime();
        JsonNode task = awaitTask(create("resync-b"), Duration.ofSeconds(180));
        assertEquals("SUCCEEDED", task.path("state").asText(), task.toString());
        System.out.printf("[resync] resync-b on %s: create accepted → running %.1f s (image already cached)%n",
                CELL_NODE, seconds(t0));
        JsonNode b = instance("resync-b");
        idB = b.path("id").asText();
        assertEquals(CELL_NODE, b.path("cellId").asText(), b.toString());
        await("SKIFF-GUEST-READY in resync-b's console log",
                () -> consoleLog("resync-b").contains(TestGuest.READY), Duration.ofSeconds(120));
        String before = domids();
        System.out.println("[resync] domain ids before the kill: " + before);
        System.out.println("[resync] readings before the kill: " + readings(Instant.EPOCH, Duration.ofSeconds(6)));

        long killNanos = System.nanoTime();
        cell.kill();
        assertFalse(cell.alive());
        assertEquals(before, domids(), "the guests survive the kill -9 of the cell's Karaf");
        awaitCell(c -> c.path("status").asText().equals("OFFLINE"), Duration.ofSeconds(30));
        System.out.printf("[resync] %s marked offline %.1f s after kill -9; meanwhile the Core says: %s%n",
                CELL_NODE, seconds(killNanos), summary());

        Instant restartedAt = Instant.now();
        cell.start(Map.of());
        awaitCellOnline(Duration.ofSeconds(180));
        double online = seconds(killNanos);
        JsonNode[] last = new JsonNode[2];
        await("both instances reported RUNNING with live figures sampled after the restart", () -> {
            last[0] = instance("resync-a");
            last[1] = instance("resync-b");
            return liveSince(last[0], restartedAt) && liveSince(last[1], restartedAt);
        }, Duration.ofSeconds(90));
        double reported = seconds(killNanos);
        System.out.printf("[resync] kill -9 → %s online %.1f s, → both reported RUNNING with fresh stats %.1f s%n",
                CELL_NODE, online, reported);
        assertEquals(before, domids(), "the guests were not restarted (same domain ids)");

        // and they stay reported as running on the cell node for a few report cycles (see readings())
        System.out.println("[resync] readings after the re-sync: " + readings(restartedAt, Duration.ofSeconds(8)));
        assertTrue(consoleLog("resync-a").contains(TestGuest.READY), "the console log is still readable");
    }

    // ---- 3: delete both (force): no domain, no volume ------------------------------------------------------

    @Test
    @Order(3)
    void forcedDeleteLeavesNothingBehind() throws Exception {
        List<String> ids = new ArrayList<>();
        List<String> tasks = new ArrayList<>();
        for (String name : List.of("resync-a", "resync-b")) {
            RestClient.Answer i = api.get("/instances/" + name);
            if (i.status() != 200) {
                continue;
            }
            ids.add(i.body().path("id").asText());
            RestClient.Answer deleted = api.delete("/instances/" + name + "?force=true");
            assertEquals(202, deleted.status(), deleted.text());
            tasks.add(deleted.body().path("id").asText());
        }
        assertFalse(ids.isEmpty(), "there are instances to delete");
        for (String t : tasks) {
            JsonNode task = awaitTask(t, Duration.ofSeconds(120));
            assertEquals("SUCCEEDED", task.path("state").asText(), task.toString());
        }
        assertEquals(404, api.get("/instances/resync-a").status());
        assertEquals(404, api.get("/instances/resync-b").status());
        assertTrue(api.get("/instances").body().isEmpty(), api.get("/instances").text());
        List<String> domains = Virsh.domainNames();
        for (String id : ids) {
            assertFalse(domains.contains("skiff-" + id), "no domain left for " + id + ": " + domains);
            assertFalse(Files.exists(cell.home.resolve("data/skiff/cell/instances/" + id + ".json")), "no cell file");
        }
        assertTrue(Virsh.volumeNames(CELL_STORAGE_POOL).isEmpty(), "no volume left in the cell's pool: "
                + Virsh.volumeNames(CELL_STORAGE_POOL));
        assertTrue(Virsh.volumeNames(CORE_STORAGE_POOL).isEmpty(), "no volume in the core's pool: "
                + Virsh.volumeNames(CORE_STORAGE_POOL));
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private static InstanceApi vms() {
        return new InstanceApi(api, () -> "--- core karaf.log tail:\n" + InstanceApi.tail(core.log())
                + "\n--- cell karaf.log tail:\n" + InstanceApi.tail(cell.log()));
    }

    private static String create(String name) {
        return vms().create(name, COMPUTE_POOL, imageId);
    }

    private static JsonNode awaitTask(String taskId, Duration timeout) throws Exception {
        return vms().awaitTask(taskId, timeout);
    }

    private static JsonNode instance(String name) {
        return vms().instance(name);
    }

    private static String consoleLog(String name) {
        RestClient.Answer log = api.get("/instances/" + name + "/console-log");
        return log.status() == 200 ? log.text() : "";
    }

    /** RUNNING, with live figures sampled after {@code since} (not a sample the Core kept from before). */
    private static boolean liveSince(JsonNode instance, Instant since) {
        JsonNode at = instance.path("stats").path("sampledAt");
        return instance.path("state").asText().equals("RUNNING") && at.isTextual()
                && Instant.parse(at.asText()).isAfter(since);
    }

    /**
     * Polls both instances for {@code duration}: each reading must say RUNNING on the cell node; counts the
     * readings whose live figures were sampled after {@code since}, earlier, or are missing. (The Core keeps
     * the last report per instance from ANY cell, and the core node's own cell, on the same libvirtd, reports
     * the cell node's domains too, without figures: missing figures are counted, not failed.)
     */
    private static String readings(Instant since, Duration duration) {
        int[] fresh = {0};
        int[] stale = {0};
        int[] none = {0};
        // a condition that has to hold throughout the duration: one reading every 400 ms until it is over
        Awaitility.await().during(duration).atMost(duration.plus(Duration.ofMinutes(2))).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(400)).pollInSameThread().until(() -> {
                    for (String name : List.of("resync-a", "resync-b")) {
                        JsonNode i = instance(name);
                        assertEquals("RUNNING", i.path("state").asText(), i.toString());
                        assertEquals(CELL_NODE, i.path("cellId").asText(), i.toString());
                        // only the instance's own cell speaks for it: live figures never disappear while it reports
                        assertTrue(i.path("stats").isObject(), "live figures missing: " + i);
                        if (liveSince(i, since)) {
                            fresh[0]++;
                        } else if (i.path("stats").path("sampledAt").isTextual()) {
                            stale[0]++;
                        } else {
                            none[0]++;
                        }
                    }
                    return true;
                });
        return (fresh[0] + stale[0] + none[0]) + " readings: " + fresh[0] + " with fresh figures, " + stale[0]
                + " with stale figures, " + none[0] + " without figures";
    }

    private static String summary() {
        StringBuilder b = new StringBuilder();
        for (String name : List.of("resync-a", "resync-b")) {
            JsonNode i = api.get("/instances/" + name).body();
            b.append(name).append('=').append(i == null ? "?" : i.path("state").asText())
                    .append(" (stats ").append(i == null || i.path("stats").isNull() ? "none"
                            : "sampled " + i.path("stats").path("sampledAt").asText()).append(") ");
        }
        return b.toString().strip();
    }

    private static String domids() {
        return Virsh.run("domid", "skiff-" + idA).strip() + "/" + Virsh.run("domid", "skiff-" + idB).strip();
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static void await(String what, InstanceApi.Check check, Duration timeout) throws Exception {
        vms().await(what, check, timeout);
    }

    private static void awaitCoreUp() throws Exception {
        RestClient anonymous = new RestClient(core.httpPort, null, null);
        await("core health UP", () -> {
            if (!core.alive()) {
                fail("the core exited; karaf.log:\n" + InstanceApi.tail(core.log()));
            }
            RestClient.Answer h = anonymous.get("/health");
            return h.status() == 200 && h.text().contains("\"UP\"");
        }, Duration.ofSeconds(180));
    }

    private static void awaitCellOnline(Duration timeout) throws Exception {
        awaitCell(c -> c.path("status").asText().equals("ONLINE"), timeout);
    }

    private interface CellCheck {
        boolean ok(JsonNode cell);
    }

    private static void awaitCell(CellCheck check, Duration timeout) throws Exception {
        await("cell " + CELL_NODE + " in the expected state", () -> {
            RestClient.Answer c = api.get("/cells/" + CELL_NODE);
            return c.status() == 200 && check.ok(c.body());
        }, timeout);
    }
}
