package io.skiff.itests.vm;

import com.fasterxml.jackson.databind.JsonNode;
import io.skiff.itests.guest.Commands;
import io.skiff.itests.guest.Virsh;
import io.skiff.itests.system.RestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Snapshots of real guests (libvirt qemu:///system, QEMU TCG, the test guest) through the REST API: a running guest
 * is snapshotted, its system disk changed while it runs (a pattern written through QEMU's block layer, the way a
 * guest write lands), snapshotted again, and reverted: the change is gone. A snapshot in the middle of the chain is
 * deleted and the others still revert to their own contents. Bad names, clashes and another instance's snapshot
 * are refused; deleting an instance with snapshots leaves nothing behind.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SnapshotIT {
    private static final String PASSWORD = "snap-test-secret";
    private static final int HTTP_PORT = 9581;
    private static final int SSH_PORT = 9601;
    private static final String STORAGE_POOL = "skiff-itest-guest-" + UUID.randomUUID().toString().substring(0, 8);
    /** Where the patterns are written: the last MiB of the system disk, which the test guest never uses. */
    private static long offset;
    private static VmTestNode fixture;
    private static InstanceApi vms;
    private static RestClient api;
    private static String imageId;
    private static String id;

    @BeforeAll
    static void start() throws Exception {
        fixture = VmTestNode.start("snapshot-node", "snap-cell", "skiff-snapshot-test", HTTP_PORT, SSH_PORT, 27990,
                PASSWORD, STORAGE_POOL);
        vms = fixture.vms();
        api = fixture.api;
        imageId = fixture.imageId;
    }

    @AfterAll
    static void stop() throws Exception {
        VmTestNode.stop(fixture, STORAGE_POOL, Duration.ofSeconds(120));
    }

    private static String state(String name) {
        return vms.instance(name).path("state").asText();
    }

    /** Writes a pattern into the running guest's system disk through QEMU's block layer, and flushes it. */
    private static void writePattern(int pattern) {
        String device = "/machine/peripheral/virtio-disk0/virtio-backend";
        Virsh.run("qemu-monitor-command", "skiff-" + id, "--hmp",
                "qemu-io -d " + device + " \"write -P " + pattern + " " + offset + " 64k\"");
        Virsh.run("qemu-monitor-command", "skiff-" + id, "--hmp", "qemu-io -d " + device + " \"flush\"");
    }

    /** Whether the stopped instance's system disk holds the pattern (0 = never written). */
    private static boolean holds(int pattern) {
        String volume = Virsh.diskSources("skiff-" + id).get(0);
        Commands.Result r = Commands.run(Duration.ofMinutes(2), "qemu-io", "-r", "-f", "qcow2", "-c",
                "read -P " + pattern + " " + offset + " 64k", volume);
        String out = r.stdout() + r.stderr();
        assertTrue(out.contains("read 65536/65536 bytes"), r.describe()); // qemu-io exits 1 on a pattern mismatch
        return !out.contains("Pattern verification failed");
    }

    private static void forceOff() throws Exception {
        vms.succeeded(api.post("/instances/snap-1/stop?force=true", null));
        vms.await("stopped", () -> state("snap-1").equals("STOPPED"), Duration.ofSeconds(60));
    }

    private static JsonNode snapshots(String instance) {
        RestClient.Answer list = api.get("/instances/" + instance + "/snapshots");
        assertEquals(200, list.status(), list.text());
        return list.body();
    }

    private static List<String> names(JsonNode snapshots) {
        List<String> names = new ArrayList<>();
        snapshots.forEach(s -> names.add(s.path("name").asText()));
        return names;
    }

    @Test
    @Order(1)
    void runningGuestSnapshotsRevertAndSurviveAMiddleDelete() throws Exception {
        vms.succeeded(api.post("/instances", "{\"name\":\"snap-1\",\"poolId\":\"vms\",\"cores\":1,"
                + "\"memoryBytes\":268435456,\"disks\":[{\"imageId\":\"" + imageId + "\"}]}"));
        JsonNode vm = vms.instance("snap-1");
        id = vm.path("id").asText();
        offset = vm.path("spec").path("disks").get(0).path("sizeBytes").asLong() - (1L << 20);
        vms.await("guest ready", () -> api.get("/instances/snap-1/console-log").text().contains("SKIFF-GUEST-READY"),
                Duration.ofMinutes(4));
        assertTrue(snapshots("snap-1").isEmpty());

        // bad input changes nothing
        RestClient.Answer badName = api.post("/instances/snap-1/snapshots", "{\"name\":\"no spaces\"}");
        assertEquals(400, badName.status(), badName.text());
        assertEquals("name", badName.body().path("error").path("field").asText());

        long t0 = System.nanoTime();
        JsonNode task = vms.succeeded(api.post("/instances/snap-1/snapshots",
                "{\"name\":\"s1\",\"description\":\"clean\"}"));
        System.out.printf("snapshot s1 of the running guest: %.1f s (task accepted → succeeded)%n",
                (System.nanoTime() - t0) / 1e9);
        assertEquals(100, task.path("progress").asInt(), task.toString());
        assertEquals("s1", task.path("steps").get(0).path("data").path("snapshot").asText(), task.toString());
        RestClient.Answer clash = api.post("/instances/snap-1/snapshots", "{\"name\":\"s1\"}");
        assertEquals(409, clash.status(), clash.text());
        assertEquals("name", clash.body().path("error").path("field").asText());

        writePattern(0xa1);
        vms.succeeded(api.post("/instances/snap-1/snapshots", "{\"name\":\"s2\"}"));
        writePattern(0xb2);
        vms.succeeded(api.post("/instances/snap-1/snapshots", "{\"name\":\"s3\"}"));
        assertEquals("RUNNING", state("snap-1"), "snapshots do not stop the guest");

        JsonNode tree = snapshots("snap-1");
        assertEquals(List.of("s1", "s2", "s3"), names(tree), tree.toString());
        assertTrue(tree.get(0).path("parentId").isNull() || tree.get(0).path("parentId").isMissingNode(), tree.toString());
        assertEquals("s1", tree.get(1).path("parentId").asText(), tree.toString());
        assertEquals("s2", tree.get(2).path("parentId").asText(), tree.toString());
        assertEquals("running", tree.get(0).path("instanceState").asText(), tree.toString());
        assertTrue(tree.get(2).path("current").asBoolean(), tree.toString());

        // revert to s1: the guest runs again from its memory image, and the change is gone
        vms.succeeded(api.post("/instances/snap-1/snapshots/s1/revert", null));
        vms.await("running after revert", () -> state("snap-1").equals("RUNNING"), Duration.ofSeconds(60));
        assertEquals("running", Virsh.domstate("skiff-" + id).strip());
        forceOff();
        assertTrue(holds(0), "after reverting to s1 the disk no longer holds the later writes");
        assertFalse(holds(0xb2));

        // delete the middle snapshot: s3 is re-parented onto s1 and keeps its own contents
        vms.succeeded(api.delete("/instances/snap-1/snapshots/s2"));
        tree = snapshots("snap-1");
        assertEquals(List.of("s1", "s3"), names(tree), tree.toString());
        assertEquals("s1", tree.get(1).path("parentId").asText(), tree.toString());
        assertEquals(404, api.post("/instances/snap-1/snapshots/s2/revert", null).status());

        vms.succeeded(api.post("/instances/snap-1/snapshots/s3/revert", null));
        vms.await("running after revert to s3", () -> state("snap-1").equals("RUNNING"), Duration.ofSeconds(60));
        forceOff();
        assertTrue(holds(0xb2), "s3 still holds its own write after its parent s2 was deleted");

        vms.succeeded(api.post("/instances/snap-1/snapshots/s1/revert", null));
        forceOff();
        assertTrue(holds(0), "s1 still reverts after s2 was deleted");
    }

    @Test
    @Order(2)
    void stoppedSnapshotsAndOtherInstancesSnapshotsAreRefused() throws Exception {
        assertEquals("STOPPED", state("snap-1"));
        JsonNode task = vms.succeeded(api.post("/instances/snap-1/snapshots", "{\"name\":\"cold\"}"));
        JsonNode cold = snapshots("snap-1");
        JsonNode coldOne = null;
        for (JsonNode s : cold) {
            if (s.path("name").asText().equals("cold")) {
                coldOne = s;
            }
        }
        assertTrue(coldOne != null, cold.toString());
        assertEquals("stopped", coldOne.path("instanceState").asText(), task.toString());
        // revert from running to a stopped snapshot: the instance ends stopped
        vms.succeeded(api.post("/instances/snap-1/start", null));
        vms.await("running", () -> state("snap-1").equals("RUNNING"), Duration.ofSeconds(60));
        vms.succeeded(api.post("/instances/snap-1/snapshots/cold/revert", null));
        vms.await("stopped after revert to a stopped snapshot", () -> state("snap-1").equals("STOPPED"),
                Duration.ofSeconds(60));

        String shell = shell("skiff:snapshot-list snap-1");
        System.out.println("skiff:snapshot-list snap-1\n" + shell);
        assertTrue(shell.contains("s1") && shell.contains("s3") && shell.contains("cold"), shell);

        // a second instance cannot revert to, or delete, snap-1's snapshots
        vms.succeeded(api.post("/instances", "{\"name\":\"snap-2\",\"poolId\":\"vms\",\"cores\":1,"
                + "\"memoryBytes\":268435456,\"disks\":[{\"imageId\":\"" + imageId + "\"}]}"));
        RestClient.Answer other = api.post("/instances/snap-2/snapshots/s1/revert", null);
        assertEquals(404, other.status(), other.text());
        assertEquals("snapshot", other.body().path("error").path("field").asText());
        assertEquals(404, api.delete("/instances/snap-2/snapshots/s1").status());
        assertEquals(404, api.post("/instances/nope/snapshots", "{\"name\":\"x\"}").status());

        // deleting instances with snapshots leaves no domain and no volume
        String id2 = vms.instance("snap-2").path("id").asText();
        vms.succeeded(api.delete("/instances/snap-1?force=true"));
        vms.succeeded(api.delete("/instances/snap-2?force=true"));
        assertFalse(Virsh.domainNames().contains("skiff-" + id), "no domain left");
        assertFalse(Virsh.domainNames().contains("skiff-" + id2), "no domain left");
        assertTrue(Virsh.volumeNames(STORAGE_POOL).isEmpty(), "no volume left: " + Virsh.volumeNames(STORAGE_POOL));
    }

    private static String shell(String command) {
        Commands.Result r = Commands.run(Duration.ofMinutes(3), "sshpass", "-p", PASSWORD, "ssh", "-p",
                Integer.toString(SSH_PORT), "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                "-o", "LogLevel=ERROR", "admin@127.0.0.1", command);
        return r.stdout() + r.stderr();
    }
}
