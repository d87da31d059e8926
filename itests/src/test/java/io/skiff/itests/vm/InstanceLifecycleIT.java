package io.skiff.itests.vm;

import com.fasterxml.jackson.databind.JsonNode;
import io.skiff.itests.guest.Virsh;
import io.skiff.itests.system.RestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real virtual machines: the built distribution (all-in-one) drives the machine's libvirtd (qemu:///system)
 * with QEMU under TCG and the test guest built from Debian packages. Guests have no network interface.
 * Create → running → the guest's marker in the console log → stop → start → delete, leaving nothing behind;
 * a create whose domain step fails rolls back; a kill -9 of the Karaf leaves running guests running and
 * they are reported as running after the restart.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InstanceLifecycleIT {
    private static final String PASSWORD = "vm-test-secret";
    private static final String STORAGE_POOL = "skiff-itest-" + UUID.randomUUID().toString().substring(0, 8);
    private static VmTestNode fixture;
    private static InstanceApi vms;
    private static RestClient api;
    private static String imageId;

    @BeforeAll
    static void start() throws Exception {
        fixture = VmTestNode.options("lifecycle").node("vm-node", "vm-cell", "skiff-vm-test")
                .ports(8681, 8682, 27850).password(PASSWORD).storagePool(STORAGE_POOL).start();
        vms = fixture.vms();
        api = fixture.api;
        imageId = fixture.imageId;
    }

    @AfterAll
    static void stop() throws Exception {
        VmTestNode.stop(fixture, STORAGE_POOL, Duration.ofSeconds(60));
    }

    private static String create(String name) {
        return vms.create(name, "vms", imageId);
    }

    private static JsonNode awaitTask(String taskId, Duration timeout) throws Exception {
        return vms.awaitTask(taskId, timeout);
    }

    private static JsonNode instance(String name) {
        return vms.instance(name);
    }

    @Test
    @Order(1)
    void badInputIsRefusedAndChangesNothing() {
        RestClient.Answer zero = api.post("/instances", "{\"name\":\"bad\",\"poolId\":\"vms\",\"cores\":0,"
                + "\"memoryBytes\":268435456,\"disks\":[{\"imageId\":\"" + imageId + "\"}]}");
        assertEquals(400, zero.status(), zero.text());
        assertEquals("cores", zero.body().path("error").path("field").asText());
        RestClient.Answer profile = api.post("/instances", "{\"name\":\"bad\",\"poolId\":\"vms\",\"cores\":1,"
                + "\"memoryBytes\":268435456,\"disks\":[{\"imageId\":\"" + imageId + "\"}],\"profile\":\"os2\"}");
        assertEquals(400, profile.status(), profile.text());
        assertEquals("profile", profile.body().path("error").path("field").asText());
        RestClient.Answer pool = api.post("/instances", "{\"name\":\"bad\",\"poolId\":\"nope\",\"cores\":1,"
                + "\"memoryBytes\":268435456,\"disks\":[{\"sizeBytes\":1048576}]}");
        assertEquals(404, pool.status(), pool.text());
        RestClient.Answer huge = api.post("/instances", "{\"name\":\"bad\",\"poolId\":\"vms\",\"cores\":1,"
                + "\"memoryBytes\":2199023255552,\"disks\":[{\"sizeBytes\":1048576}]}");
        assertEquals(409, huge.status(), huge.text());
        RestClient.Answer label = api.post("/instances", "{\"name\":\"bad\",\"poolId\":\"vms\",\"cores\":1,"
                + "\"memoryBytes\":268435456,\"disks\":[{\"sizeBytes\":1048576}],\"labels\":{\"tier\":\"a b\"}}");
        assertEquals(400, label.status(), label.text());
        assertEquals("labels", label.body().path("error").path("field").asText());
        assertTrue(api.get("/instances").body().isEmpty());
    }

    @Test
    @Order(2)
    void lifecycleLeavesNothingBehind() throws Exception {
        long t0 = System.nanoTime();
        String taskId = create("vm-1");
        JsonNode task = awaitTask(taskId, Duration.ofSeconds(180));
        assertEquals("SUCCEEDED", task.path("state").asText(), task.toString());
        double created = (System.nanoTime() - t0) / 1e9;
        JsonNode vm = instance("vm-1");
        String id = vm.path("id").asText();
        assertEquals("RUNNING", vm.path("state").asText(), vm.toString());
        vms.await("guest marker", () -> api.get("/instances/vm-1/console-log").text().contains("SKIFF-GUEST-READY"),
                Duration.ofSeconds(120));
        double booted = (System.nanoTime() - t0) / 1e9;
        System.out.printf("vm-1: create accepted → running %.1f s, → SKIFF-GUEST-READY %.1f s%n", created, booted);
        assertTrue(Virsh.domainNames().contains("skiff-" + id));
        JsonNode caps = api.get("/cells/vm-cell/capabilities").body();
        assertEquals("tcg", caps.path("accelerator").asText(), caps.toString());
        JsonNode pools = api.get("/cells/storage-pools").body();
        assertTrue(pools.toString().contains("\"name\":\"" + STORAGE_POOL + "\""), pools.toString());
        assertTrue(pools.get(0).path("capacityBytes").asLong() > 0, pools.toString());

        RestClient.Answer refused = api.delete("/instances/vm-1");
        assertEquals(409, refused.status(), "running instance is not deleted without force");

        assertEquals("SUCCEEDED", awaitTask(api.post("/instances/vm-1/stop", null).body().path("id").asText(),
                Duration.ofSeconds(120)).path("state").asText());
        vms.await("stopped", () -> instance("vm-1").path("state").asText().equals("STOPPED"), Duration.ofSeconds(30));
        assertEquals(409, api.post("/instances/vm-1/stop", null).status(), "stopping a stopped instance");
        // the list's filters, on a real instance
        assertEquals(1, api.get("/instances?state=stopped&pool=vms&cell=vm-cell&namePrefix=vm-").body().size());
        assertEquals(0, api.get("/instances?state=running").body().size());
        assertEquals(0, api.get("/instances?namePrefix=web").body().size());
        // labels: the Core's alone, changed at once, filtered by (key=value, or key for any value; all must hold)
        RestClient.Answer labelled = api.send("PUT", "/instances/vm-1/labels",
                "{\"labels\":{\"tier\":\"web\",\"example.com/env\":\"test\"}}");
        assertEquals(200, labelled.status(), labelled.text());
        assertEquals("{\"example.com/env\":\"test\",\"tier\":\"web\"}",
                labelled.body().path("spec").path("labels").toString());
        assertEquals(1, api.get("/instances?label=tier=web&label=example.com/env").body().size());
        assertEquals(0, api.get("/instances?label=tier=web&label=owner").body().size());
        assertEquals(0, api.get("/instances?label=tier=db").body().size());
        RestClient.Answer badSelector = api.get("/instances?label=tier=");
        assertEquals(400, badSelector.status(), badSelector.text());
        assertEquals("label", badSelector.body().path("error").path("field").asText());
        RestClient.Answer badLabel = api.send("PUT", "/instances/vm-1/labels", "{\"labels\":{\"-tier\":\"web\"}}");
        assertEquals(400, badLabel.status(), badLabel.text());
        assertEquals("labels", badLabel.body().path("error").path("field").asText());
        assertEquals("web", instance("vm-1").path("spec").path("labels").path("tier").asText(), "nothing changed");
        RestClient.Answer resized = api.send("PUT", "/instances/vm-1", "{\"cores\":2,\"memoryBytes\":335544320}");
        assertEquals(200, resized.status(), resized.text());
        assertEquals(2, resized.body().path("spec").path("cores").asInt());
        assertEquals("web", resized.body().path("spec").path("labels").path("tier").asText(), "labels kept");
        assertTrue(Virsh.run("dominfo", "skiff-" + id).matches("(?s).*CPU\\(s\\):\\s+2.*"),
                "the domain was redefined with 2 CPUs");

        assertEquals("SUCCEEDED", awaitTask(api.post("/instances/vm-1/start", null).body().path("id").asText(),
                Duration.ofSeconds(120)).path("state").asText());
        vms.await("running again", () -> instance("vm-1").path("state").asText().equals("RUNNING"),
                Duration.ofSeconds(30));
        String domainId = Virsh.run("domid", "skiff-" + id).trim();

        assertEquals("SUCCEEDED", awaitTask(api.post("/instances/vm-1/restart", null).body().path("id").asText(),
                Duration.ofSeconds(120)).path("state").asText());
        vms.await("running after restart", () -> instance("vm-1").path("state").asText().equals("RUNNING"),
                Duration.ofSeconds(30));
        assertFalse(domainId.equals(Virsh.run("domid", "skiff-" + id).trim()), "the domain was started anew");

        assertEquals("SUCCEEDED", awaitTask(api.delete("/instances/vm-1?force=true").body().path("id").asText(),
                Duration.ofSeconds(120)).path("state").asText());
        assertEquals(404, api.get("/instances/vm-1").status());
        assertFalse(Virsh.domainNames().contains("skiff-" + id), "no domain left");
        assertFalse(Virsh.volumeNames(STORAGE_POOL).stream().anyMatch(v -> v.contains(id)), "no volume left");
    }

    @Test
    @Order(3)
    void failedCreateRollsBack() throws Exception {
        try {
            VmTestNode.writeInstanceSettings(fixture.node, Map.of("stopTimeoutSeconds", "5", "failStep", "cell.define"));
            String taskId = create("vm-fail");
            JsonNode task = awaitTask(taskId, Duration.ofSeconds(120));
            assertEquals("FAILED", task.path("state").asText(), task.toString());
            assertTrue(task.path("error").asText().contains("injected"), task.toString());
            String id = task.path("steps").get(0).path("data").path("instance").asText();
            assertFalse(id.isEmpty(), task.toString());
            assertEquals(404, api.get("/instances/vm-fail").status(), "the Core shows no instance");
            assertTrue(Virsh.volumeNames(STORAGE_POOL).stream().noneMatch(v -> v.contains(id)),
                    "the volume is gone: " + Virsh.volumeNames(STORAGE_POOL));
            assertFalse(Virsh.domainNames().contains("skiff-" + id), "no domain: " + Virsh.domainNames());
            for (JsonNode step : task.path("steps")) {
                String state = step.path("state").asText();
                assertTrue(state.equals("UNDONE") || state.equals("PENDING"), "step " + step);
            }
        } finally {
            VmTestNode.writeInstanceSettings(fixture.node, Map.of("stopTimeoutSeconds", "5"));
        }
    }

    @Test
    @Order(4)
    void killedNodeResyncsWithRunningGuests() throws Exception {
        String t1 = create("vm-a");
        String t2 = create("vm-b");
        assertEquals("SUCCEEDED", awaitTask(t1, Duration.ofSeconds(180)).path("state").asText());
        assertEquals("SUCCEEDED", awaitTask(t2, Duration.ofSeconds(180)).path("state").asText());
        String a = instance("vm-a").path("id").asText();
        String b = instance("vm-b").path("id").asText();
        String before = Virsh.run("domid", "skiff-" + a).trim() + "/" + Virsh.run("domid", "skiff-" + b).trim();

        fixture.node.kill();
        fixture.restart();
        vms.await("both reported running", () -> {
            RestClient.Answer va = api.get("/instances/vm-a");
            RestClient.Answer vb = api.get("/instances/vm-b");
            return va.status() == 200 && vb.status() == 200
                    && va.body().path("state").asText().equals("RUNNING")
                    && vb.body().path("state").asText().equals("RUNNING")
                    && va.body().path("stats").isObject();
        }, Duration.ofSeconds(60));
        String after = Virsh.run("domid", "skiff-" + a).trim() + "/" + Virsh.run("domid", "skiff-" + b).trim();
        assertEquals(before, after, "the guests were not restarted");
    }

    // ---- helpers -------------------------------------------------------------------------------------------
}
