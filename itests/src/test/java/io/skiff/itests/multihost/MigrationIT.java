package io.skiff.itests.multihost;

import com.fasterxml.jackson.databind.JsonNode;
import io.skiff.itests.guest.TestGuest;
import io.skiff.itests.guest.Virsh;
import io.skiff.itests.system.KarafNode;
import io.skiff.itests.system.RestClient;
import io.skiff.itests.vm.InstanceApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Live migration between two simulated hosts of the multi-host test bed: the Core (all-in-one) and a cell on host 1,
 * a cell on host 2, each a Karaf inside its host's namespaces with the host's own libvirtd; volumes on each host's
 * local storage, so a running instance moves with a copy of its disks. {@code virsh} inside each host is the
 * independent witness: after a move the domain exists only on the target, after a failed one only on the source;
 * the guest's uptime (its heartbeat line on the serial console) never starts again. Stopped, it moves back cold with
 * its disks and boots from them. Both cells get migration TLS certificates from the Core's cluster CA, so the moves
 * run over QEMU's migration TLS ({@code tls: true}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MigrationIT {
    private static final String PASSWORD = "migration-secret";
    /** Each host's guest bridge (inside its namespace) has the gateway's address: guests keep it when they move. */
    private static final String BRIDGE = "br-skiff";
    private static final String GATEWAY = "10.254.219.1";
    /** A cell's static leases for its dnsmasq, below its Karaf home. */
    private static final String DHCP_HOSTS = "data/skiff/cell/dhcp/hosts";
    private static TestBed bed;
    private static KarafNode core;
    private static KarafNode cell;
    private static RestClient api;
    private static String imageId;
    private static String liveMoved;

    @BeforeAll
    static void start() throws Exception {
        Path nodes = Path.of(System.getProperty("skiff.nodes", "target/nodes"));
        Path image = TestGuest.image();
        bed = TestBed.up(nodes.resolve("bed-migration"), 2, false);
        for (int host = 1; host <= 2; host++) {
            bed.exec(host, "ip", "link", "add", BRIDGE, "type", "bridge").orThrow();
            bed.exec(host, "ip", "addr", "add", GATEWAY + "/24", "dev", BRIDGE).orThrow();
            bed.exec(host, "ip", "link", "set", BRIDGE, "up").orThrow();
        }
        Map<String, String> guestNetwork = Map.of("bridge", BRIDGE, "dhcp", "true");
        Path archive = Path.of(System.getProperty("skiff.distribution"));
        String members = BedNodes.members(bed, 2);
        core = BedNodes.node(bed, archive, nodes, "mig-host1", 1, members, "migration");
        core.writeConfig("io.skiff.cell.instances", BedNodes.movableCell(bed, 1, guestNetwork));
        core.writeConfig("io.skiff.core.instances", Map.of("stopTimeoutSeconds", "5"));
        cell = BedNodes.node(bed, archive, nodes, "mig-host2", 2, members, "migration");
        cell.writeConfig("io.skiff.cell.instances", BedNodes.movableCell(bed, 2, guestNetwork));
        cell.replaceInFile("etc/org.apache.karaf.features.cfg", "skiff-allinone", "skiff-cell");
        core.start(Map.of("SKIFF_ADMIN_PASSWORD", PASSWORD), bed.launcher(1));
        int httpPort = bed.forward(1, 8181);
        api = new RestClient(httpPort, "admin", PASSWORD);
        BedNodes.awaitCoreUp(core, httpPort, Duration.ofMinutes(3));
        KarafNode.copy(core.home.resolve("etc/skiff-cluster.key"), cell.home.resolve("etc/skiff-cluster.key"));
        cell.start(Map.of(), bed.launcher(2));
        RestClient.Answer imported = api.post("/images", "{\"name\":\"test-guest\",\"path\":\"" + image + "\"}");
        assertEquals(201, imported.status(), imported.text());
        imageId = imported.body().path("id").asText();
        assertEquals(201, api.post("/pools", "{\"name\":\"vms\"}").status());
        for (String c : List.of("host1", "host2")) {
            BedNodes.awaitCell(api, c, n -> n.path("status").asText().equals("ONLINE"), Duration.ofMinutes(3));
            assertEquals(200, api.post("/cells/" + c + "/add-to-pool", "{\"pool\":\"vms\"}").status());
            // the cell asked the cluster CA for a certificate and keeps it where its host's QEMU reads it
            BedNodes.awaitCell(api, c, n -> n.path("migrationTls").asText().equals("ready"), Duration.ofSeconds(60));
        }
        RestClient.Answer lan = api.post("/address-pools", "{\"name\":\"lan\",\"prefixLength\":24,\"gateway\":\""
                + GATEWAY + "\",\"ranges\":[{\"first\":\"10.254.219.10\",\"last\":\"10.254.219.40\"}],"
                + "\"dnsServers\":[\"" + GATEWAY + "\"],\"domain\":\"skiff.test\",\"computePools\":[\"vms\"]}");
        assertEquals(201, lan.status(), lan.text());
    }

    @AfterAll
    static void stop() throws Exception {
        BedNodes.stop(bed, cell, core);
    }

    @Test
    @Order(1)
    void aRunningInstanceMovesLiveWithItsDisksAndKeepsRunning() throws Exception {
        String id = createOn("mig-local", "host1");
        double before = BedNodes.awaitHeartbeat(api, id, 0);
        String address = instance(id).path("address").asText(null);
        assertTrue(address != null && address.startsWith("10.254.219."), instance(id).toString());
        assertTrue(api.get("/instances/" + id + "/console-log").text().contains("SKIFF-GUEST-IP=" + address + " "),
                "the guest got its address from host 1's dnsmasq");

        long asked = System.nanoTime();
        JsonNode move = step(migrated(id, "host2"), "migrate live");
        System.out.printf("[migration] local storage (copy of the disks): request to SUCCEEDED %.1f s, migration"
                + " %s ms, downtime %s ms, %s bytes, tls %s%n", (System.nanoTime() - asked) / 1e9,
                move.path("data").path("wallMillis").asText(), move.path("data").path("downtimeMillis").asText(),
                move.path("data").path("transferredBytes").asText(), move.path("data").path("tls").asText());
        assertEquals("true", move.path("data").path("tls").asText(), "both cells are ready: over TLS " + move);

        JsonNode moved = instance(id);
        assertEquals("host2", moved.path("cellId").asText(), moved.toString());
        assertEquals("RUNNING", moved.path("state").asText(), moved.toString());
        assertEquals(address, moved.path("address").asText(null), "the address stays");
        String domain = "skiff-" + id;
        assertFalse(bed.domains(1).contains(domain), "host 1 keeps no domain: " + bed.domains(1));
        assertTrue(bed.virsh(2, "domstate", domain).orThrow().stdout().contains("running"));
        String persistent = bed.virsh(2, "dumpxml", "--inactive", domain).orThrow().stdout();
        assertTrue(persistent.contains("/mig-host2/") && !persistent.contains("/mig-host1/"),
                "host 2's definition names host 2's files: " + persistent);
        // the guest did not start again: its uptime goes on from before the move
        double after = BedNodes.awaitHeartbeat(api, id, before);
        assertTrue(after > before, "uptime " + before + " s before, " + after + " s after");
        assertFalse(api.get("/instances/" + id + "/console-log").text().contains("SKIFF-GUEST-BOOTING"),
                "the console log on host 2 starts after the boot");
        // its console is served by host 2, where the Core's console proxy reaches it
        JsonNode vnc = api.get("/instances/" + id + "/vnc").body();
        assertEquals(bed.hostAddress(2), vnc.path("host").asText(), vnc.toString());
        String banner = bed.exec(1, "bash", "-c", "exec 3<>/dev/tcp/" + vnc.path("host").asText() + "/"
                + vnc.path("port").asInt() + "; head -c 12 <&3").orThrow().stdout();
        assertTrue(banner.startsWith("RFB "), banner);
        // its static lease moved to host 2's dnsmasq, which answers the guest's next DHCP request with the same address
        assertTrue(Files.readString(cell.home.resolve(DHCP_HOSTS)).contains("," + address + ","), "host 2's leases");
        assertFalse(Files.readString(core.home.resolve(DHCP_HOSTS)).contains("," + address + ","), "host 1's");
        String lease = Virsh.guestExec(args -> bed.virsh(2, args).orThrow().stdout(), domain, "/bin/sh", "-c",
                "rm -f /run/lease; udhcpc -i eth0 -s /etc/udhcpc.script -q -n -t 5 -T 1 >/dev/null 2>&1;"
                        + " cat /run/lease");
        assertTrue(lease.contains("ip=" + address + "\n") && lease.contains("router=" + GATEWAY), lease);
        liveMoved = id; // the next test moves it back cold
    }

    @Test
    @Order(2)
    void aStoppedInstanceMovesColdWithItsDisksAndBootsOnTheTarget() throws Exception {
        String id = liveMoved;
        assertFalse(id == null, "the instance of the first test");
        String domain = "skiff-" + id;
        RestClient.Answer stopped = api.post("/instances/" + id + "/stop?force=true", "{}");
        assertEquals(202, stopped.status(), stopped.text());
        assertEquals("SUCCEEDED", awaitTask(stopped.body().path("id").asText(), Duration.ofMinutes(2))
                .path("state").asText());

        long asked = System.nanoTime();
        JsonNode move = step(migrated(id, "host1"), "move cold");
        System.out.printf("[migration] cold move on local storage (copy of the disks): request to SUCCEEDED %.1f s,"
                + " migration %s ms, %s bytes%n", (System.nanoTime() - asked) / 1e9,
                move.path("data").path("wallMillis").asText(), move.path("data").path("transferredBytes").asText());
        assertEquals("true", move.path("data").path("tls").asText(), "the disks' copy goes over TLS too: " + move);

        JsonNode moved = instance(id);
        assertEquals("host1", moved.path("cellId").asText(), moved.toString());
        assertEquals("STOPPED", moved.path("state").asText(), moved.toString());
        // defined on host 1 only, not running; the volume only on host 1
        assertTrue(bed.virsh(1, "domstate", domain).orThrow().stdout().contains("shut off"), "defined, not running");
        assertFalse(bed.domains(2).contains(domain), "host 2 keeps no domain: " + bed.domains(2));
        assertTrue(bed.virsh(1, "vol-list", "--pool", "skiff-local").stdout().contains(id), "host 1 has its volume");
        assertFalse(bed.virsh(2, "vol-list", "--pool", "skiff-local").stdout().contains(id),
                "host 2 keeps no volume");
        String persistent = bed.virsh(1, "dumpxml", "--inactive", domain).orThrow().stdout();
        assertTrue(persistent.contains("/mig-host1/") && !persistent.contains("/mig-host2/"),
                "host 1's definition names host 1's files: " + persistent);

        // the copied disk holds the guest: it boots from it on host 1
        RestClient.Answer started = api.post("/instances/" + id + "/start", "{}");
        assertEquals(202, started.status(), started.text());
        assertEquals("SUCCEEDED", awaitTask(started.body().path("id").asText(), Duration.ofMinutes(2))
                .path("state").asText());
        await("it boots on host 1").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                .until(() -> api.get("/instances/" + id + "/console-log").text().contains("SKIFF-GUEST-READY"));
        assertTrue(BedNodes.awaitHeartbeat(api, id, 0) > 0);
        delete(id);
    }

    @Test
    @Order(3)
    void badTargetsAreRefusedAndNothingChanges() throws Exception {
        String id = createOn("mig-refused", "host1");
        RestClient.Answer same = api.post("/instances/" + id + "/migrate", "{\"cell\":\"host1\"}");
        assertEquals(409, same.status(), same.text());
        assertEquals("cell", same.body().path("error").path("field").asText(), same.text());
        RestClient.Answer unknown = api.post("/instances/" + id + "/migrate", "{\"cell\":\"no-such-cell\"}");
        assertEquals(400, unknown.status(), unknown.text());
        assertEquals("cell", unknown.body().path("error").path("field").asText(), unknown.text());
        assertEquals(200, api.post("/cells/host2/disable", "{}").status());
        try {
            RestClient.Answer disabled = api.post("/instances/" + id + "/migrate", "{\"cell\":\"host2\"}");
            assertEquals(409, disabled.status(), disabled.text());
            assertTrue(disabled.body().path("error").path("message").asText().contains("disabled"), disabled.text());
            RestClient.Answer none = api.post("/instances/" + id + "/migrate", "{}");
            assertEquals(409, none.status(), "no other enabled cell: " + none.text());
        } finally {
            assertEquals(200, api.post("/cells/host2/enable", "{}").status());
        }
        assertEquals("host1", instance(id).path("cellId").asText());
        assertTrue(bed.domains(2).stream().noneMatch(d -> d.contains(id)), "host 2: " + bed.domains(2));
        delete(id);
    }

    @Test
    @Order(4)
    void aFailureAfterTheMoveMigratesItBackAndLeavesNothingOnTheTarget() throws Exception {
        String id = createOn("mig-fail", "host1");
        double before = BedNodes.awaitHeartbeat(api, id, 0);
        core.writeConfigAndAwaitLog("io.skiff.core.instances", Map.of("stopTimeoutSeconds", "5",
                "failStep", "migrate.switch", "failInstance", "mig-fail"), "instance settings updated",
                Duration.ofSeconds(60));
        try {
            RestClient.Answer accepted = api.post("/instances/" + id + "/migrate", "{\"cell\":\"host2\"}");
            assertEquals(202, accepted.status(), accepted.text());
            JsonNode task = awaitTask(accepted.body().path("id").asText(), Duration.ofMinutes(5));
            assertEquals("FAILED", task.path("state").asText(), "rolled back: " + task);
        } finally {
            core.writeConfigAndAwaitLog("io.skiff.core.instances", Map.of("stopTimeoutSeconds", "6"),
                    "instance settings updated", Duration.ofSeconds(60));
        }
        JsonNode back = instance(id);
        assertEquals("host1", back.path("cellId").asText(), back.toString());
        String domain = "skiff-" + id;
        assertTrue(bed.virsh(1, "domstate", domain).orThrow().stdout().contains("running"));
        assertFalse(bed.domains(2).contains(domain), "host 2 keeps no domain: " + bed.domains(2));
        String volumes = bed.virsh(2, "vol-list", "--pool", "skiff-local").stdout();
        assertFalse(volumes.contains(id), "host 2 keeps no volume: " + volumes);
        double after = BedNodes.awaitHeartbeat(api, id, before);
        assertTrue(after > before, "the guest ran on: uptime " + before + " s, then " + after + " s");
        await("instance running again").atMost(Duration.ofSeconds(30))
                .until(() -> instance(id).path("state").asText().equals("RUNNING"));
        delete(id);
    }

    @Test
    @Order(5)
    void theTargetsLibvirtdKilledMidMigrationLeavesTheInstanceRunningOnTheSource() throws Exception {
        String id = createOn("mig-killed", "host1");
        double before = BedNodes.awaitHeartbeat(api, id, 0);
        // slow enough (16 MiB/s for 128 MiB of memory and the disk) to pull the plug while it runs
        core.writeConfigAndAwaitLog("io.skiff.cell.instances", BedNodes.movableCell(bed, 1,
                Map.of("migrationBandwidthMiBps", "16")), "re-sync done", Duration.ofSeconds(60));
        RestClient.Answer accepted = api.post("/instances/" + id + "/migrate", "{\"cell\":\"host2\"}");
        assertEquals(202, accepted.status(), accepted.text());
        String taskId = accepted.body().path("id").asText();
        // while the disks are copied: the move step runs and has reported progress
        await("the migration runs").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            JsonNode t = api.get("/tasks/" + taskId).body();
            return t.path("message").asText().contains("MiB left")
                    || !t.path("state").asText().equals("RUNNING") && !t.path("state").asText().equals("QUEUED");
        });
        bed.libvirtd(2, false);
        try {
            // the move fails at once; its undo must ask host 2, so it waits (and retries) until libvirtd is back
            await("the move fails").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .until(() -> !api.get("/tasks/" + taskId).body().path("state").asText().equals("RUNNING"));
        } finally {
            bed.libvirtd(2, true);
            core.writeConfigAndAwaitLog("io.skiff.cell.instances", BedNodes.movableCell(bed, 1, Map.of()),
                    "re-sync done", Duration.ofSeconds(60));
        }
        JsonNode task = awaitTask(taskId, Duration.ofMinutes(2));
        assertEquals("FAILED", task.path("state").asText(), "the task fails and is rolled back: " + task);
        assertTrue(task.path("error").asText().contains("migration to cell host2 failed"), task.toString());
        // the rollback releases the target's copy once its libvirtd is back
        assertRolledBack(id, before, Duration.ofSeconds(90));
        delete(id);
    }

    @Test
    @Order(6)
    void evacuatingACellMovesEveryInstanceAndLeavesItDisabled() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            ids.add(createOn("evac-" + i, "host1"));
        }
        RestClient.Answer accepted = api.post("/cells/host1/evacuate", "{}");
        assertEquals(202, accepted.status(), accepted.text());
        long asked = System.nanoTime();
        try {
            JsonNode task = awaitTask(accepted.body().path("id").asText(), Duration.ofMinutes(10));
            assertEquals("SUCCEEDED", task.path("state").asText(), task.toString());
            System.out.printf("[migration] evacuated 3 instances in %.1f s%n", (System.nanoTime() - asked) / 1e9);
            for (String id : ids) {
                await("instance " + id + " on host 2").atMost(Duration.ofSeconds(30)).until(() ->
                        instance(id).path("cellId").asText().equals("host2")
                                && instance(id).path("state").asText().equals("RUNNING"));
                assertFalse(bed.domains(1).contains("skiff-" + id), "host 1: " + bed.domains(1));
            }
            assertFalse(api.get("/cells/host1").body().path("enabled").asBoolean(), "host 1 stays disabled");
        } finally {
            api.post("/cells/host1/enable", "{}");
        }
        for (String id : ids) {
            delete(id);
        }
    }

    @Test
    @Order(7)
    void migrationTlsIsReallyUsedAForeignCaOnTheTargetFailsTheMigration() throws Exception {
        String id = createOn("mig-tls", "host1");
        double before = BedNodes.awaitHeartbeat(api, id, 0);
        String caCert = bed.migrationTlsDir() + "/ca-cert.pem";
        String original = bed.exec(2, "cat", caCert).orThrow().stdout();
        // a CA nobody's certificate comes from; written into the file (its owner and mode stay)
        bed.exec(2, "sh", "-c", "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"
                + " -keyout /dev/null -days 1 -subj /CN=foreign-ca 2>/dev/null > " + caCert).orThrow();
        try {
            RestClient.Answer accepted = api.post("/instances/" + id + "/migrate", "{\"cell\":\"host2\"}");
            assertEquals(202, accepted.status(), accepted.text());
            JsonNode task = awaitTask(accepted.body().path("id").asText(), Duration.ofMinutes(3));
            assertEquals("FAILED", task.path("state").asText(), "the target's QEMU refuses its TLS setup: " + task);
            assertTrue(task.path("error").asText().contains("certificate"), task.toString());
            assertRolledBack(id, before, Duration.ofSeconds(60));
        } finally {
            bed.exec(2, "sh", "-c", "printf '%s' \"$1\" > " + caCert, "sh", original).orThrow();
        }
        await("instance running again").atMost(Duration.ofSeconds(30))
                .until(() -> instance(id).path("state").asText().equals("RUNNING"));
        // with the cluster CA back it moves, over TLS
        JsonNode task = migrated(id, "host2");
        assertEquals("true", step(task, "migrate live").path("data").path("tls").asText(), task.toString());
        assertEquals("host2", instance(id).path("cellId").asText());
        delete(id);
    }

    // helpers

    /**
     * After a failed move: the instance is recorded on and runs on host 1, the guest's uptime goes on from
     * {@code before}, and within {@code within} host 2 holds no domain and no volume of it.
     */
    private static void assertRolledBack(String id, double before, Duration within) throws Exception {
        String domain = "skiff-" + id;
        assertEquals("host1", instance(id).path("cellId").asText());
        assertTrue(bed.virsh(1, "domstate", domain).orThrow().stdout().contains("running"));
        await("host 2 holds nothing of it").atMost(within).pollInterval(Duration.ofSeconds(1))
                .until(() -> !bed.domains(2).contains(domain)
                        && !bed.virsh(2, "vol-list", "--pool", "skiff-local").stdout().contains(id));
        double after = BedNodes.awaitHeartbeat(api, id, before);
        assertTrue(after > before, "the guest ran on: uptime " + before + " s, then " + after + " s");
    }

    private static String createOn(String name, String cellId) throws Exception {
        RestClient.Answer created = api.post("/instances", "{\"name\":\"" + name + "\",\"poolId\":\"vms\","
                + "\"cellId\":\"" + cellId + "\",\"cores\":1,\"memoryBytes\":134217728,\"disks\":[{\"imageId\":\""
                + imageId + "\"}],\"profile\":\"linux-virtio\"}");
        assertEquals(202, created.status(), created.text());
        JsonNode task = awaitTask(created.body().path("id").asText(), Duration.ofMinutes(3));
        assertEquals("SUCCEEDED", task.path("state").asText(), task.toString());
        String id = api.get("/instances/" + name).body().path("id").asText();
        await("instance " + name + " boots").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                .until(() -> api.get("/instances/" + id + "/console-log").text().contains("SKIFF-GUEST-READY"));
        return id;
    }

    /** @return the {@code instance.migrate} task that moved the instance to the cell, SUCCEEDED */
    private static JsonNode migrated(String id, String cellId) throws Exception {
        RestClient.Answer accepted = api.post("/instances/" + id + "/migrate", "{\"cell\":\"" + cellId + "\"}");
        assertEquals(202, accepted.status(), accepted.text());
        JsonNode task = awaitTask(accepted.body().path("id").asText(), Duration.ofMinutes(5));
        assertEquals("SUCCEEDED", task.path("state").asText(), task.toString());
        return task;
    }

    private static void delete(String id) throws Exception {
        RestClient.Answer deleted = api.delete("/instances/" + id + "?force=true");
        assertEquals(202, deleted.status(), deleted.text());
        JsonNode task = awaitTask(deleted.body().path("id").asText(), Duration.ofMinutes(2));
        assertEquals("SUCCEEDED", task.path("state").asText(), task.toString());
    }

    private static JsonNode instance(String id) {
        RestClient.Answer a = api.get("/instances/" + id);
        assertEquals(200, a.status(), a.text());
        return a.body();
    }

    private static JsonNode step(JsonNode task, String namePrefix) {
        for (JsonNode s : task.path("steps")) {
            if (s.path("name").asText().startsWith(namePrefix)) {
                return s;
            }
        }
        throw new AssertionError("no step '" + namePrefix + "' in " + task);
    }

    private static JsonNode awaitTask(String taskId, Duration timeout) throws Exception {
        return new InstanceApi(api, () -> "--- host 1 karaf.log tail:\n" + InstanceApi.tail(core.log())
                + "\n--- host 2 karaf.log tail:\n" + InstanceApi.tail(cell.log())).awaitTask(taskId, timeout);
    }
}
