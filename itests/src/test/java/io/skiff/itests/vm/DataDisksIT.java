package io.skiff.itests.vm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skiff.itests.guest.TestGuest;
import io.skiff.itests.guest.Virsh;
import io.skiff.itests.system.RestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Data disks of an existing instance on real libvirt (qemu:///system) with QEMU TCG and the test guest: a disk added
 * to a running guest is hot-plugged (the guest lists vdb) and goes away again when removed (volume deleted); the
 * same on a stopped instance changes its definition; compacting a stopped linked clone keeps it linked, does not
 * grow the file and the guest still boots; bad input is refused naming the field.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DataDisksIT {
    private static final String PASSWORD = "disk-test-secret";
    private static final String STORAGE_POOL = "skiff-itest-media-" + UUID.randomUUID().toString().substring(0, 8);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern DISKS = Pattern.compile("SKIFF-GUEST-DISKS([^\\r\\n]*)");
    private static final long DATA = 64L << 20;
    private static VmTestNode fixture;
    private static InstanceApi vms;
    private static RestClient api;
    private static String instanceId;

    @BeforeAll
    static void start() throws Exception {
        fixture = VmTestNode.options("disks").node("disks-node", "disk-cell", "skiff-disks-test")
                .ports(9681, 9701, 28010).password(PASSWORD).storagePool(STORAGE_POOL).noImageImport().start();
        vms = fixture.vms();
        api = fixture.api;
        Path guestImage = TestGuest.image();
        byte[] file = Files.readAllBytes(guestImage);
        HttpResponse<String> up = fixture.upload("/images/upload?name=guest&format=qcow2", file);
        assertEquals(201, up.statusCode(), up.body());
        String imageId = MAPPER.readTree(up.body()).path("image").path("id").asText();
        RestClient.Answer created = api.post("/instances", "{\"name\":\"dd\",\"poolId\":\"vms\","
                + "\"cores\":1,\"memoryBytes\":268435456,\"disks\":[{\"imageId\":\"" + imageId + "\"}],"
                + "\"profile\":\"linux-virtio\"}");
        assertEquals(202, created.status(), created.text());
        JsonNode task = vms.awaitTask(created.body().path("id").asText(), Duration.ofSeconds(300));
        assertEquals("SUCCEEDED", task.path("state").asText(), task.toString());
        instanceId = vms.instance("dd").path("id").asText();
        vms.await("dd boots", () -> console().contains("SKIFF-GUEST-READY"), Duration.ofSeconds(300));
    }

    @AfterAll
    static void stop() throws Exception {
        VmTestNode.stop(fixture, STORAGE_POOL, Duration.ofSeconds(120));
    }

    @Test
    @Order(1)
    void badInputIsRefusedNamingTheField() {
        expect(400, "sizeBytes", api.post("/instances/dd/disks", "{}"));
        expect(400, "sizeBytes", api.post("/instances/dd/disks", "{\"sizeBytes\":1024}"));
        assertEquals(404, api.post("/instances/nope/disks", "{\"sizeBytes\":" + DATA + "}").status());
        expect(400, "disk", api.delete("/instances/dd/disks/0"));
        expect(400, "disk", api.delete("/instances/dd/disks/1"));
        expect(409, "instance", api.post("/instances/dd/disks/0/compact", null));
        expect(400, "disk", api.post("/instances/dd/disks/3/compact", null));
        assertEquals(1, vms.instance("dd").path("spec").path("disks").size(), "nothing changed");
    }

    @Test
    @Order(2)
    void aDataDiskIsHotPluggedIntoARunningGuestAndRemovedAgain() throws Exception {
        RestClient.Answer add = api.post("/instances/dd/disks", "{\"sizeBytes\":" + DATA + "}");
        assertEquals(202, add.status(), add.text());
        JsonNode task = vms.awaitTask(add.body().path("id").asText(), Duration.ofSeconds(180));
        assertEquals("SUCCEEDED", task.path("state").asText(), task.toString());
        System.out.println("[transcript] POST /instances/dd/disks {\"sizeBytes\":" + DATA + "} → " + add.status()
                + "\n[transcript] task " + task);
        vms.await("the guest lists vdb=" + DATA, () -> lastDisks().contains(" vdb=" + DATA), Duration.ofSeconds(120));
        JsonNode disks = vms.instance("dd").path("spec").path("disks");
        assertEquals(2, disks.size(), disks.toString());
        assertEquals(DATA, disks.get(1).path("sizeBytes").asLong());
        String volume = "skiff-" + instanceId + "-disk1.qcow2";
        assertTrue(Virsh.run("vol-list", STORAGE_POOL).contains(volume), "the volume exists");
        assertTrue(Virsh.run("dumpxml", "--inactive", "skiff-" + instanceId).contains(volume),
                "the persistent definition has the disk too");

        RestClient.Answer remove = api.delete("/instances/dd/disks/1");
        assertEquals(202, remove.status(), remove.text());
        JsonNode removed = vms.awaitTask(remove.body().path("id").asText(), Duration.ofSeconds(240));
        assertEquals("SUCCEEDED", removed.path("state").asText(), removed.toString());
        System.out.println("[transcript] DELETE /instances/dd/disks/1 → " + remove.status() + "\n[transcript] task "
                + removed);
        vms.await("the guest no longer lists vdb", () -> !lastDisks().contains(" vdb="), Duration.ofSeconds(120));
        assertEquals(1, vms.instance("dd").path("spec").path("disks").size());
        assertFalse(Virsh.run("vol-list", STORAGE_POOL).contains(volume), "the volume is deleted");
        assertFalse(Virsh.run("dumpxml", "skiff-" + instanceId).contains(volume));
        System.out.println("[transcript] console: " + DISKS.matcher(console()).results().map(m -> m.group())
                .toList());
    }

    @Test
    @Order(3)
    void aStoppedInstanceGetsAndLosesADiskInItsDefinitionAndCompacts() throws Exception {
        assertEquals("SUCCEEDED", vms.awaitTask(api.post("/instances/dd/stop?force=true", null).body().path("id")
                .asText(), Duration.ofSeconds(120)).path("state").asText());
        vms.await("dd stopped", () -> vms.instance("dd").path("state").asText().equals("STOPPED"),
                Duration.ofSeconds(60));
        RestClient.Answer add = api.post("/instances/dd/disks", "{\"sizeBytes\":" + DATA + "}");
        assertEquals(202, add.status(), add.text());
        assertEquals("SUCCEEDED", vms.awaitTask(add.body().path("id").asText(), Duration.ofSeconds(120))
                .path("state").asText());
        String xml = Virsh.run("dumpxml", "--inactive", "skiff-" + instanceId);
        assertTrue(xml.contains("-disk1.qcow2") && (xml.contains("dev=\"vdb\"") || xml.contains("dev='vdb'")), xml);
        RestClient.Answer remove = api.delete("/instances/dd/disks/1");
        assertEquals(202, remove.status(), remove.text());
        assertEquals("SUCCEEDED", vms.awaitTask(remove.body().path("id").asText(), Duration.ofSeconds(120))
                .path("state").asText());
        assertFalse(Virsh.run("dumpxml", "--inactive", "skiff-" + instanceId).contains("-disk1.qcow2"));

        // the same through the shell
        String added = shell("skiff:instance-disk-add --wait dd 16");
        System.out.println("[transcript] skiff:instance-disk-add --wait dd 16\n" + added);
        assertTrue(added.contains("100%"), added);
        assertEquals(2, vms.instance("dd").path("spec").path("disks").size());
        String refused = shell("skiff:instance-disk-remove dd 0");
        assertTrue(refused.contains("system disk"), refused);
        String gone = shell("skiff:instance-disk-remove --wait dd 1");
        System.out.println("[transcript] skiff:instance-disk-remove --wait dd 1\n" + gone);
        assertTrue(gone.contains("100%"), gone);
        assertEquals(1, vms.instance("dd").path("spec").path("disks").size());

        String volume = "skiff-" + instanceId + "-disk0.qcow2";
        Path file = Path.of(Virsh.run("vol-path", "--pool", STORAGE_POOL, volume).strip());
        // space the guest no longer needs: the disk grows past its image's end and 8 MiB of zeros are written there
        RestClient.Answer grow = api.post("/instances/dd/disks/0/resize", "{\"sizeBytes\":" + (64L << 20) + "}");
        assertEquals("SUCCEEDED", vms.awaitTask(grow.body().path("id").asText(), Duration.ofSeconds(120))
                .path("state").asText());
        Process io = new ProcessBuilder("qemu-io", "-f", "qcow2", "-c", "write -P 0 40M 8M", file.toString())
                .redirectErrorStream(true).start();
        String ioOut = new String(io.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, io.waitFor(), ioOut);
        long before = allocated(file);
        RestClient.Answer compact = api.post("/instances/dd/disks/0/compact", null);
        assertEquals(202, compact.status(), compact.text());
        JsonNode task = vms.awaitTask(compact.body().path("id").asText(), Duration.ofSeconds(300));
        assertEquals("SUCCEEDED", task.path("state").asText(), task.toString());
        System.out.println("[transcript] POST /instances/dd/disks/0/compact → " + compact.status()
                + "\n[transcript] task " + task);
        long after = allocated(file);
        System.out.println("disk 0 on disk: " + before + " bytes before, " + after + " after (du)");
        assertTrue(after < before, after + " >= " + before);
        JsonNode data = task.path("steps").get(0).path("data");
        assertTrue(data.path("bytesAfter").asLong() < data.path("bytesBefore").asLong(), data.toString());
        assertTrue(Virsh.run("vol-dumpxml", "--pool", STORAGE_POOL, volume).contains("<backingStore>"),
                "a linked clone stays linked");

        // shrink: never below where the data ends (1 MiB of 0x5a written at 44 MiB → data up to 45 MiB)
        Process mark = new ProcessBuilder("qemu-io", "-f", "qcow2", "-c", "write -P 0x5a 44M 1M", file.toString())
                .redirectErrorStream(true).start();
        String markOut = new String(mark.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, mark.waitFor(), markOut);
        RestClient.Answer below = api.post("/instances/dd/disks/0/resize", "{\"sizeBytes\":" + (40L << 20) + "}");
        expect(400, "sizeBytes", below);
        assertTrue(below.text().contains("holds data up to byte " + (45L << 20)), below.text());
        assertEquals(64L << 20, vms.instance("dd").path("spec").path("disks").get(0).path("sizeBytes").asLong());
        assertTrue(qemuImgInfo(file).contains("\"virtual-size\": " + (64L << 20)), "nothing changed");
        RestClient.Answer shrink = api.post("/instances/dd/disks/0/resize", "{\"sizeBytes\":" + (48L << 20) + "}");
        assertEquals(202, shrink.status(), shrink.text());
        JsonNode shrunk = vms.awaitTask(shrink.body().path("id").asText(), Duration.ofSeconds(120));
        assertEquals("SUCCEEDED", shrunk.path("state").asText(), shrunk.toString());
        System.out.println("[transcript] POST /instances/dd/disks/0/resize {\"sizeBytes\":" + (40L << 20) + "} → "
                + below.status() + " " + below.text() + "\n[transcript] POST /instances/dd/disks/0/resize {\"sizeBytes\":"
                + (48L << 20) + "} → " + shrink.status() + "\n[transcript] task " + shrunk);
        assertEquals(48L << 20, vms.instance("dd").path("spec").path("disks").get(0).path("sizeBytes").asLong());
        assertTrue(qemuImgInfo(file).contains("\"virtual-size\": " + (48L << 20)), qemuImgInfo(file));
        Process read = new ProcessBuilder("qemu-io", "-f", "qcow2", "-c", "read -P 0x5a 44M 1M", file.toString())
                .redirectErrorStream(true).start();
        String readOut = new String(read.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, read.waitFor(), readOut);
        assertFalse(readOut.contains("Pattern verification failed"), "the data survives the shrink: " + readOut);
        assertTrue(Virsh.run("vol-dumpxml", "--pool", STORAGE_POOL, volume).contains("<backingStore>"),
                "a shrunk linked clone stays linked");

        assertEquals("SUCCEEDED", vms.awaitTask(api.post("/instances/dd/start", null).body().path("id").asText(),
                Duration.ofSeconds(120)).path("state").asText());
        // the serial log starts anew with each start; vda=48 MiB is only seen by a guest booted after the resizes
        vms.await("dd boots after the compact and the shrink and sees its disk",
                () -> console().contains("SKIFF-GUEST-READY") && lastDisks().contains(" vda=" + (48L << 20)),
                Duration.ofSeconds(300));
        System.out.println("[transcript] console after the compact: " + DISKS.matcher(console()).results()
                .map(m -> m.group()).toList());
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private static String qemuImgInfo(Path file) throws Exception {
        Process p = new ProcessBuilder("qemu-img", "info", "-U", "--output=json", file.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    private static void expect(int status, String field, RestClient.Answer answer) {
        assertEquals(status, answer.status(), answer.text());
        assertEquals(field, answer.body().path("error").path("field").asText(), answer.text());
        System.out.println("[transcript] → " + answer.status() + " " + answer.text());
    }

    private static long allocated(Path file) throws Exception {
        Process p = new ProcessBuilder("du", "-B1", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return Long.parseLong(out.split("\\s+")[0]);
    }

    private static String shell(String command) {
        io.skiff.itests.guest.Commands.Result r = io.skiff.itests.guest.Commands.run(Duration.ofMinutes(3),
                "sshpass", "-p", PASSWORD, "ssh", "-p", Integer.toString(fixture.sshPort()), "-o", "StrictHostKeyChecking=no",
                "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "admin@127.0.0.1", command);
        return r.stdout() + r.stderr();
    }

    private static String console() {
        return api.get("/instances/dd/console-log?maxBytes=262144").text();
    }

    private static String lastDisks() {
        Matcher m = DISKS.matcher(console());
        String last = "";
        while (m.find()) {
            last = m.group(1);
        }
        return last;
    }
}
