package io.skiff.itests.system;

import com.fasterxml.jackson.databind.JsonNode;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The built distribution as two Karaf processes on loopback: an all-in-one Core and a Cell-only node
 * with its own Karaf home and ports. The Cell joins, is added to a pool, is killed with SIGKILL and is
 * marked offline within 10 s, comes back online when restarted; a Core restart keeps pools and cells.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoNodeClusterIT {
    private static final String PASSWORD = "system-test-secret";
    private static final String MEMBERS = "127.0.0.1[27830],127.0.0.1[27831]";
    private static final Map<String, String> ENV = Map.of("SKIFF_ADMIN_PASSWORD", PASSWORD);
    private static KarafNode core;
    private static KarafNode cell;
    private static RestClient api;

    @BeforeAll
    static void startCoreAndCell() throws Exception {
        Path archive = Path.of(System.getProperty("skiff.distribution"));
        Path nodes = Path.of(System.getProperty("skiff.nodes", "target/nodes"));
        core = KarafNode.unpack(archive, nodes, "core", 8381);
        for (KarafNode n : new KarafNode[] {core}) {
            n.writeConfig("io.skiff.storage.local", Map.of("poolName", "skiff-itest-twonode-core"));
            n.writeConfig("io.skiff.cell.instances", Map.of("storagePool", "skiff-itest-twonode-core"));
        }
        core.writeConfig("io.skiff.transport", Map.of("nodeName", "core-host", "bindAddress", "127.0.0.1",
                "bindPort", "27830", "portRange", "0", "discovery", "tcp", "members", MEMBERS));
        cell = KarafNode.unpack(archive, nodes, "cell", 8481);
        cell.replaceInFile("etc/org.apache.karaf.features.cfg", "skiff-allinone", "skiff-cell");
        cell.writeConfig("io.skiff.storage.local", Map.of("poolName", "skiff-itest-twonode-cell"));
        cell.writeConfig("io.skiff.cell.instances", Map.of("storagePool", "skiff-itest-twonode-cell"));
        cell.writeConfig("io.skiff.transport", Map.of("nodeName", "cell-2", "bindAddress", "127.0.0.1",
                "bindPort", "27831", "portRange", "0", "discovery", "tcp", "members", MEMBERS));

        core.start(ENV);
        api = new RestClient(core.httpPort, "admin", PASSWORD);
        awaitHealthUp(Duration.ofSeconds(180));
        // Every node of a domain needs the cluster key the first node generated.
        KarafNode.copy(core.home.resolve("etc/skiff-cluster.key"), cell.home.resolve("etc/skiff-cluster.key"));
        cell.start(Map.of());
    }

    @AfterAll
    static void stopAll() throws Exception {
        if (cell != null) {
            cell.kill();
        }
        if (core != null) {
            core.kill();
        }
        io.skiff.itests.guest.Virsh.destroyDomainsOfPoolAndPool("skiff-itest-twonode-core");
        io.skiff.itests.guest.Virsh.destroyDomainsOfPoolAndPool("skiff-itest-twonode-cell");
    }

    @Test
    @Order(1)
    void cellJoinsUnallocatedAndIsAddedToPool() throws Exception {
        JsonNode joined = awaitCell("cell-2", c -> c.path("status").asText().equals("ONLINE"), Duration.ofSeconds(120));
        assertTrue(joined.path("poolId").isNull() || joined.path("poolId").isMissingNode(), joined.toString());
        assertTrue(joined.path("resources").path("cpuCount").asInt() > 0, joined.toString());
        assertTrue(joined.path("resources").path("memoryTotalBytes").asLong() > 0, joined.toString());

        assertEquals(201, api.post("/pools", "{\"name\":\"pool-1\",\"description\":\"system test\"}").status());
        RestClient.Answer added = api.post("/cells/cell-2/add-to-pool", "{\"pool\":\"pool-1\"}");
        assertEquals(200, added.status(), added.text());
        assertEquals("pool-1", added.body().path("poolId").asText());
    }

    @Test
    @Order(2)
    void killedCellGoesOfflineWithinTenSecondsAndReturns() throws Exception {
        awaitCell("cell-2", c -> c.path("status").asText().equals("ONLINE"), Duration.ofSeconds(60));
        long killedAt = System.nanoTime();
        cell.kill();
        awaitCell("cell-2", c -> c.path("status").asText().equals("OFFLINE"), Duration.ofSeconds(10));
        long seconds = Duration.ofNanos(System.nanoTime() - killedAt).toSeconds();
        System.out.println("cell-2 marked offline " + seconds + " s after kill -9");

        cell.start(Map.of());
        JsonNode back = awaitCell("cell-2", c -> c.path("status").asText().equals("ONLINE"), Duration.ofSeconds(120));
        assertEquals("pool-1", back.path("poolId").asText(), "still in its pool");
    }

    @Test
    @Order(3)
    void coreRestartKeepsPoolsAndCells() throws Exception {
        core.stop(Duration.ofSeconds(60));
        core.start(ENV);
        awaitHealthUp(Duration.ofSeconds(180));
        // UP waits for the whiteboard to serve every resource (README, "Health"): the API answers at once, no 404
        RestClient.Answer pools = api.get("/pools");
        assertEquals(200, pools.status(), pools.text());
        assertEquals("pool-1", pools.body().get(0).path("name").asText(), pools.text());
        JsonNode c = awaitCell("cell-2", x -> x.path("status").asText().equals("ONLINE"), Duration.ofSeconds(60));
        assertEquals("pool-1", c.path("poolId").asText());
        assertTrue(Files.exists(core.home.resolve("data/skiff/state")), "state lives under data/skiff/state");
    }

    private static void awaitHealthUp(Duration timeout) {
        RestClient anonymous = new RestClient(core.httpPort, null, null);
        RestClient.Answer[] last = new RestClient.Answer[1];
        try {
            await().atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(500)).pollInSameThread()
                    .until(() -> {
                        last[0] = anonymous.get("/health");
                        if (last[0].status() == 200 && last[0].body() != null
                                && "UP".equals(last[0].body().path("status").asText())) {
                            return true;
                        }
                        if (!core.alive()) {
                            fail("core exited; karaf.log:\n" + core.log());
                        }
                        return false;
                    });
        } catch (ConditionTimeoutException e) {
            fail("core not UP after " + timeout + ": " + (last[0] == null ? "" : last[0].text()) + "\nkaraf.log:\n"
                    + core.log());
        }
    }

    private static JsonNode awaitCell(String id, Predicate<JsonNode> condition, Duration timeout) {
        RestClient.Answer[] last = new RestClient.Answer[1];
        try {
            await().atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(250)).pollInSameThread()
                    .until(() -> {
                        last[0] = api.get("/cells/" + id);
                        return last[0].status() == 200 && condition.test(last[0].body());
                    });
        } catch (ConditionTimeoutException e) {
            fail("cell " + id + " did not reach the expected state within " + timeout + ": "
                    + (last[0] == null ? "" : last[0].text()) + "\ncell karaf.log tail:\n" + tail(cell.log()));
        }
        return last[0].body();
    }

    private static String tail(String log) {
        return log.length() > 6000 ? log.substring(log.length() - 6000) : log;
    }
}
