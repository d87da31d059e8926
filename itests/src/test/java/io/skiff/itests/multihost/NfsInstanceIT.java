package io.skiff.itests.multihost;

import com.fasterxml.jackson.databind.JsonNode;
import io.skiff.itests.guest.Commands;
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
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An instance whose disk is on NFS, end to end, on the multi-host test bed: the Core (all-in-one) on host 1, a
 * Cell-only node on host 2 with {@code skiff-storage-nfs} in {@code libnfs} mode as its default storage (the bed's
 * nfs-ganesha export), each a Karaf inside its host's namespaces. The instance is created from the test guest image
 * as a linked clone on the export and boots from a libvirt network disk (QEMU's own NFS client); host 2's
 * {@code virsh}, the export's directory and {@code qemu-img} are the independent witnesses. It moves live between the
 * hosts, also with a snapshot (whose libvirt metadata follows it, so a revert works on the other host), and cold;
 * deleting it removes its volume from the export.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NfsInstanceIT {
    private static final String PASSWORD = "nfs-instance-secret";
    private static final String COMPUTE_POOL = "nfs";
    private static final String NFS_POOL = NfsCluster.NFS_POOL;
    private static NfsCluster cluster;
    private static TestBed bed;
    private static KarafNode core;
    private static KarafNode cell;
    private static RestClient api;
    private static String imageId;
    private static String instanceId;

    @BeforeAll
    static void start() throws Exception {
        Path image = TestGuest.image();
        Path nodes = Path.of(System.getProperty("skiff.nodes", "target/nodes"));
        // both cells keep their volumes on the bed's export, so an instance moves between them with its memory only
        cluster = NfsCluster.start(nodes, Path.of(System.getProperty("skiff.distribution")), "nfs-instance", "nfs",
                PASSWORD);
        bed = cluster.bed;
        core = cluster.core;
        cell = cluster.cell;
        api = cluster.api;

        RestClient.Answer imported = api.post("/images", "{\"name\":\"test-guest\",\"path\":\"" + image + "\"}");
        assertEquals(201, imported.status(), imported.text());
        imageId = imported.body().path("id").asText();
        assertEquals(201, api.post("/pools", "{\"name\":\"" + COMPUTE_POOL + "\"}").status());
        vms().await("cell host2 ONLINE", () -> {
            RestClient.Answer c = api.get("/cells/host2");
            return c.status() == 200 && c.body().path("status").asText().equals("ONLINE");
        }, Duration.ofMinutes(3));
        // only host 2's cell is in the pool at first: the instance is made there
        RestClient.Answer added = api.post("/cells/host2/add-to-pool", "{\"pool\":\"" + COMPUTE_POOL + "\"}");
        assertEquals(200, added.status(), added.text());
        vms().await("host 2 reports its NFS pool", () -> pool("host2", NFS_POOL) != null, Duration.ofMinutes(1));
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close(); // the bed's removal takes the export's directory, and what a failure left
        }
    }

    @Test
    @Order(1)
    void anInstanceBootsFromALinkedCloneOnNfs() throws Exception {
        long t0 = System.nanoTime();
        JsonNode task = vms().awaitTask(vms().create("nfs-a", COMPUTE_POOL, imageId), Duration.ofMinutes(3));
        assertEquals("SUCCEEDED", task.path("state").asText(), task.toString());
        JsonNode a = vms().instance("nfs-a");
        instanceId = a.path("id").asText();
        assertEquals("RUNNING", a.path("state").asText(), a.toString());
        assertEquals("host2", a.path("cellId").asText(), a.toString());
        vms().await(TestGuest.READY + " on nfs-a's console", () -> {
            RestClient.Answer log = api.get("/instances/nfs-a/console-log");
            return log.status() == 200 && log.text().contains(TestGuest.READY);
        }, Duration.ofMinutes(3));
        System.out.printf("[nfs-instance] nfs-a: create accepted → %s %.1f s%n", TestGuest.READY,
                (System.nanoTime() - t0) / 1e9);

        // host 2's libvirtd runs it from a network disk: QEMU's own NFS client, the chain spelt out
        String domain = "skiff-" + instanceId;
        String volume = domain + "-disk0.qcow2";
        assertTrue(bed.domains(2).contains(domain), "host 2: " + bed.domains(2));
        assertFalse(bed.domains(1).contains(domain), "host 1: " + bed.domains(1));
        String xml = bed.virsh(2, "dumpxml", domain).orThrow().stdout();
        assertTrue(xml.contains("<disk type='network' device='disk'>"), xml);
        assertTrue(xml.contains("<source protocol='nfs' name='" + bed.nfsExport() + "/" + volume + "'"), xml);
        assertTrue(xml.contains("<host name='" + bed.nfsAddress() + "'/>"), xml);
        assertTrue(xml.contains("<source protocol='nfs' name='" + bed.nfsExport() + "/images/" + imageId
                + ".qcow2'"), "the image below it: " + xml);

        // the export holds the clone and the pool's copy of the image, which the clone names by URL
        Path file = bed.nfsDirectory().resolve(volume);
        assertTrue(Files.isRegularFile(file), file + " on the export");
        assertTrue(Files.isRegularFile(bed.nfsDirectory().resolve("images/" + imageId + ".qcow2")));
        String info = Commands.run(Duration.ofSeconds(30), "qemu-img", "info", "-U", file.toString()).orThrow()
                .stdout();
        assertTrue(info.contains("backing file: nfs://" + bed.nfsAddress() + bed.nfsExport() + "/images/"
                + imageId + ".qcow2"), "a linked clone of the pool's image: " + info);
        assertTrue(Files.size(file) < Files.size(bed.nfsDirectory().resolve("images/" + imageId + ".qcow2")),
                "the clone holds only what the guest wrote");

        JsonNode nfs = pool("host2", NFS_POOL);
        assertEquals("nfs", nfs.path("provider").asText(), nfs.toString());
        assertTrue(nfs.path("capacityBytes").asLong() > 0, nfs.toString());
    }

    @Test
    @Order(2)
    void whileTheServerIsCutOffACreateFailsAtOnceAndTheGuestsWritesWaitForIt() throws Exception {
        assertFalse(instanceId == null, "the instance of the first test");
        String domain = "skiff-" + instanceId;
        Function<String[], String> host2 = args -> bed.virsh(2, args).orThrow().stdout();
        double before = BedNodes.awaitHeartbeat(api, "nfs-a", 0);
        // a block of the guest's disk, read now and written back (unchanged) while the server is away
        Virsh.guestExec(host2, domain, "/bin/sh", "-c", "dd if=/dev/vda of=/tmp/block bs=64k count=1 skip=64"
                + " iflag=direct 2>/dev/null");
        bed.nfsLink(false);
        long write;
        String createTask;
        try {
            write = Virsh.guestExecStart(host2, domain, "/bin/sh", "-c",
                    "dd if=/tmp/block of=/dev/vda bs=64k count=1 seek=64 oflag=direct conv=fsync");
            long asked = System.nanoTime();
            createTask = vms().create("nfs-down", COMPUTE_POOL, imageId);
            JsonNode failed = vms().awaitTask(createTask, Duration.ofMinutes(1),
                    t -> !t.path("state").asText().equals("RUNNING") && !t.path("state").asText().equals("QUEUED"));
            System.out.printf("[nfs-instance] create while the NFS server is cut off: %s after %.1f s%n",
                    failed.path("state").asText(), (System.nanoTime() - asked) / 1e9);
            assertTrue(failed.toString().contains("NFS server '" + bed.nfsAddress() + "' is not reachable"),
                    failed.toString());
            assertFalse(Virsh.guestExecStatus(host2, domain, write).path("exited").asBoolean(),
                    "the guest's write waits for the server");
            assertTrue(bed.virsh(2, "domstate", domain).orThrow().stdout().contains("running"), "not paused");
        } finally {
            bed.nfsLink(true);
        }
        JsonNode[] done = new JsonNode[1]; // the agent forgets a process once it told that it exited
        vms().await("the guest's write completes", () -> (done[0] = Virsh.guestExecStatus(host2, domain, write))
                .path("exited").asBoolean(), Duration.ofMinutes(2));
        assertEquals(0, done[0].path("exitcode").asInt(-1), done[0].toString());
        double after = BedNodes.awaitHeartbeat(api, "nfs-a", before);
        assertTrue(after > before, "the guest ran on: uptime " + before + " s, then " + after + " s");
        // the failed create is rolled back once its undo reaches the server again: nothing of it stays
        JsonNode rolledBack = vms().awaitTask(createTask, Duration.ofMinutes(2));
        assertEquals("FAILED", rolledBack.path("state").asText(), rolledBack.toString());
        assertEquals(404, api.get("/instances/nfs-down").status());
        assertTrue(bed.domains(2).stream().noneMatch(d -> d.contains("nfs-down")), "host 2: " + bed.domains(2));
    }


    @Test
    @Order(3)
    void itMovesLiveToTheOtherHostWithItsMemoryOnly() throws Exception {
        assertFalse(instanceId == null, "the instance of the first test");
        vms().await("cell host1 ONLINE", () -> api.get("/cells/host1").body().path("status").asText()
                .equals("ONLINE"), Duration.ofMinutes(2));
        assertEquals(200, api.post("/cells/host1/add-to-pool", "{\"pool\":\"" + COMPUTE_POOL + "\"}").status());
        double before = BedNodes.awaitHeartbeat(api, "nfs-a", 0);
        String address = vms().instance("nfs-a").path("address").asText(null);
        Path volume = bed.nfsDirectory().resolve("skiff-" + instanceId + "-disk0.qcow2");
        long asked = System.nanoTime();
        // no cell named: the placement policy picks the only other cell of the pool
        RestClient.Answer accepted = api.post("/instances/nfs-a/migrate", "{}");
        assertEquals(202, accepted.status(), accepted.text());
        JsonNode task = vms().awaitTask(accepted.body().path("id").asText(), Duration.ofMinutes(3));
        assertEquals("SUCCEEDED", task.path("state").asText(), task.toString());
        JsonNode move = null;
        for (JsonNode step : task.path("steps")) {
            if (step.path("kind").asText().equals("migrate.move")) {
                move = step.path("data");
            }
        }
        assertEquals("true", move.path("shared").asText(), "memory only: " + task);
        System.out.printf("[nfs-instance] live migration on NFS: request to SUCCEEDED %.1f s, migration %s ms,"
                + " downtime %s ms%n", (System.nanoTime() - asked) / 1e9, move.path("wallMillis").asText(),
                move.path("downtimeMillis").asText());

        JsonNode a = vms().instance("nfs-a");
        assertEquals("host1", a.path("cellId").asText(), a.toString());
        assertEquals("RUNNING", a.path("state").asText(), a.toString());
        assertEquals(address, a.path("address").asText(null), "the address stays");
        String domain = "skiff-" + instanceId;
        assertTrue(bed.domains(1).contains(domain), "host 1: " + bed.domains(1));
        assertFalse(bed.domains(2).contains(domain), "host 2 keeps no domain: " + bed.domains(2));
        assertTrue(Files.isRegularFile(volume), "the shared volume stays where it was: " + volume);
        double after = BedNodes.awaitHeartbeat(api, "nfs-a", before);
        assertTrue(after > before, "the guest ran on: uptime " + before + " s, then " + after + " s");
        JsonNode vnc = api.get("/instances/nfs-a/vnc").body();
        assertEquals(bed.hostAddress(1), vnc.path("host").asText(), vnc.toString());
    }

    @Test
    @Order(4)
    void withASnapshotItMovesLiveAndRevertsOnTheOtherHost() throws Exception {
        String domain = "skiff-" + instanceId;
        // on host 1 since the live move; a snapshot of the running guest (disks and memory, inside the NFS volume)
        vms().succeeded(api.post("/instances/nfs-a/snapshots", "{\"name\":\"before-move\"}"));
        long asked = System.nanoTime();
        JsonNode task = vms().succeeded(api.post("/instances/nfs-a/migrate", "{\"cell\":\"host2\"}"));
        System.out.printf("[nfs-instance] live migration on NFS with a snapshot: request to SUCCEEDED %.1f s%n",
                (System.nanoTime() - asked) / 1e9);
        assertTrue(task.path("steps").toString().contains("migrate.move"), task.toString());
        assertEquals("host2", vms().instance("nfs-a").path("cellId").asText());
        assertFalse(bed.domains(1).contains(domain), "host 1 keeps no domain: " + bed.domains(1));
        // libvirt on host 2 knows the snapshot (its metadata was redefined there), the current one as before
        assertEquals("before-move", bed.virsh(2, "snapshot-current", "--name", domain).orThrow().stdout().strip());
        JsonNode list = api.get("/instances/nfs-a/snapshots").body();
        assertEquals(1, list.size(), list.toString());
        assertEquals("before-move", list.get(0).path("name").asText(), list.toString());
        assertEquals("running", list.get(0).path("instanceState").asText(), list.toString());

        vms().succeeded(api.post("/instances/nfs-a/snapshots/before-move/revert", null));
        vms().await("running after the revert on host 2", () -> vms().instance("nfs-a").path("state").asText()
                .equals("RUNNING"), Duration.ofSeconds(60));
        assertTrue(bed.virsh(2, "domstate", domain).orThrow().stdout().contains("running"));
        assertTrue(bed.virsh(2, "dumpxml", "--security-info", domain).orThrow().stdout().contains("passwd="),
                "the reverted guest's console keeps its password");
        assertTrue(BedNodes.awaitHeartbeat(api, "nfs-a", 0) > 0, "the guest runs on from the snapshot");

        // and back to host 1 with it; deleted there (the next test moves it without snapshots)
        vms().succeeded(api.post("/instances/nfs-a/migrate", "{\"cell\":\"host1\"}"));
        assertEquals("before-move", bed.virsh(1, "snapshot-list", "--name", domain).orThrow().stdout().strip());
        assertFalse(bed.domains(2).contains(domain), "host 2 keeps no domain: " + bed.domains(2));
        vms().succeeded(api.delete("/instances/nfs-a/snapshots/before-move"));
        assertEquals(0, api.get("/instances/nfs-a/snapshots").body().size());
    }

    @Test
    @Order(5)
    void stoppedItMovesColdAndStartsOnTheOtherHost() throws Exception {
        vms().succeeded(api.post("/instances/nfs-a/stop?force=true", "{}"));
        long asked = System.nanoTime();
        JsonNode task = vms().succeeded(api.post("/instances/nfs-a/migrate", "{\"cell\":\"host2\"}"));
        System.out.printf("[nfs-instance] cold move on NFS: request to SUCCEEDED %.1f s%n",
                (System.nanoTime() - asked) / 1e9);
        for (JsonNode step : task.path("steps")) {
            assertFalse(step.path("kind").asText().equals("migrate.move"), "nothing runs, nothing moves live");
        }
        JsonNode a = vms().instance("nfs-a");
        assertEquals("host2", a.path("cellId").asText(), a.toString());
        assertEquals("STOPPED", a.path("state").asText(), a.toString());
        String domain = "skiff-" + instanceId;
        assertTrue(bed.virsh(2, "domstate", domain).orThrow().stdout().contains("shut off"), "defined on host 2");
        assertFalse(bed.domains(1).contains(domain), "host 1 keeps no domain: " + bed.domains(1));
        vms().succeeded(api.post("/instances/nfs-a/start", "{}"));
        vms().await("nfs-a boots on host 2", () -> api.get("/instances/nfs-a/console-log").text()
                .contains(TestGuest.READY), Duration.ofMinutes(2));
    }

    @Test
    @Order(6)
    void deletingTheInstanceRemovesItsVolumeFromTheExport() throws Exception {
        assertFalse(instanceId == null, "the instance of the first test");
        vms().succeeded(api.delete("/instances/nfs-a?force=true"));
        String domain = "skiff-" + instanceId;
        assertFalse(bed.domains(1).contains(domain), "host 1: " + bed.domains(1));
        assertFalse(bed.domains(2).contains(domain), "host 2: " + bed.domains(2));
        assertFalse(Files.exists(bed.nfsDirectory().resolve(domain + "-disk0.qcow2")), "the volume is gone");
        // the pool's copy of the image stays for the next clone (not deleted with its clones)
        assertTrue(Files.isRegularFile(bed.nfsDirectory().resolve("images/" + imageId + ".qcow2")));
    }

    @Test
    @Order(7)
    void aStoragePoolCreatedThroughTheApiHoldsTheNextInstancesDisks() throws Exception {
        RestClient.Answer unreachable = api.post("/storage-pools", "{\"name\":\"api-nfs\",\"type\":\"nfs\","
                + "\"server\":\"10.254.210.99\",\"export\":\"" + bed.nfsExport() + "\",\"mode\":\"libnfs\"}");
        assertEquals(400, unreachable.status(), unreachable.text());
        assertEquals("server", unreachable.body().path("error").path("field").asText(), unreachable.text());
        RestClient.Answer created = api.post("/storage-pools", "{\"name\":\"api-nfs\",\"type\":\"nfs\","
                + "\"server\":\"" + bed.nfsAddress() + "\",\"export\":\"" + bed.nfsExport()
                + "\",\"mode\":\"libnfs\"}");
        assertEquals(201, created.status(), created.text());
        String pool = created.body().path("id").asText();
        RestClient.Answer attached = api.post("/storage-pools/" + pool + "/attach", "{\"computePool\":\""
                + COMPUTE_POOL + "\"}");
        assertEquals(200, attached.status(), attached.text());

        JsonNode task = vms().awaitTask(vms().create("nfs-b", COMPUTE_POOL, imageId), Duration.ofMinutes(3));
        assertEquals("SUCCEEDED", task.path("state").asText(), task.toString());
        JsonNode b = vms().instance("nfs-b");
        String id = b.path("id").asText();
        vms().await(TestGuest.READY + " on nfs-b's console", () -> api.get("/instances/nfs-b/console-log").text()
                .contains(TestGuest.READY), Duration.ofMinutes(3));
        int host = b.path("cellId").asText().equals("host1") ? 1 : 2;
        String xml = bed.virsh(host, "dumpxml", "skiff-" + id).orThrow().stdout();
        assertTrue(xml.contains("<source protocol='nfs' name='" + bed.nfsExport() + "/skiff-" + id + "-disk0.qcow2'"),
                xml);
        // the Core knows the instance's volumes are in that pool: no delete while it holds them, nor while attached
        RestClient.Answer detached = api.post("/storage-pools/" + pool + "/detach", "{\"computePool\":\""
                + COMPUTE_POOL + "\"}");
        assertEquals(200, detached.status(), detached.text());
        RestClient.Answer holding = api.delete("/storage-pools/" + pool);
        assertEquals(409, holding.status(), holding.text());
        vms().succeeded(api.delete("/instances/nfs-b?force=true"));
        assertFalse(Files.exists(bed.nfsDirectory().resolve("skiff-" + id + "-disk0.qcow2")), "the volume is gone");
        assertEquals(204, api.delete("/storage-pools/" + pool).status());
    }

    private static JsonNode pool(String cell, String name) {
        RestClient.Answer pools = api.get("/cells/storage-pools");
        if (pools.status() != 200) {
            return null;
        }
        for (JsonNode p : pools.body()) {
            if (cell.equals(p.path("cellId").asText()) && name.equals(p.path("name").asText())) {
                return p;
            }
        }
        return null;
    }

    private static InstanceApi vms() {
        return new InstanceApi(api, () -> "--- core karaf.log tail:\n" + InstanceApi.tail(core.log())
                + "\n--- cell karaf.log tail:\n" + InstanceApi.tail(cell.log()));
    }
}
