package io.skiff.itests.vm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skiff.itests.guest.TestGuest;
import io.skiff.itests.guest.Virsh;
import io.skiff.itests.system.KarafNode;
import io.skiff.itests.system.RestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Images, media and disks on real libvirt (qemu:///system) with QEMU TCG and the test guest: a streamed upload and
 * download round-trip with matching SHA-256, truncated / wrong-checksum uploads refused with nothing left behind;
 * ISO media upload and download; an image built from a stopped instance's disk, then two linked clones and one full
 * copy of it boot; the image cannot be deleted while linked clones depend on it; a running guest's disk grows live and the guest sees the new size.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ImagesDisksIT {
    private static final String PASSWORD = "img-test-secret";
    private static final String STORAGE_POOL = "skiff-itest-images-" + UUID.randomUUID().toString().substring(0, 8);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern VDA = Pattern.compile("SKIFF-GUEST-DISKS.* vda=(\\d+)");
    private static VmTestNode fixture;
    private static InstanceApi vms;
    private static KarafNode node;
    private static RestClient api;
    private static Path guestImage;
    private static String imageId;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        fixture = VmTestNode.options("images").node("images-node", "img-cell", "skiff-images-test")
                .ports(9481, 9501, 27970).password(PASSWORD).storagePool(STORAGE_POOL).noImageImport().start();
        vms = fixture.vms();
        node = fixture.node;
        api = fixture.api;
        guestImage = TestGuest.image();
    }

    @AfterAll
    static void stop() throws Exception {
        VmTestNode.stop(fixture, STORAGE_POOL, Duration.ofSeconds(120));
    }

    @Test
    @Order(1)
    void uploadAndDownloadRoundTripWithMatchingChecksums() throws Exception {
        byte[] file = Files.readAllBytes(guestImage);
        String sha = sha256(file);
        HttpResponse<String> up = fixture.upload("/images/upload?name=guest&tag=test&tag=busybox&sha256=" + sha
                + "&format=qcow2&sizeBytes=" + file.length, file);
        assertEquals(201, up.statusCode(), up.body());
        System.out.println("[transcript] POST /images/upload → " + up.statusCode() + " X-Skiff-Task: "
                + up.headers().firstValue("X-Skiff-Task").orElse("") + "\n" + up.body());
        JsonNode result = MAPPER.readTree(up.body());
        imageId = result.path("image").path("id").asText();
        assertEquals(sha, result.path("image").path("sha256").asText());
        assertEquals("qcow2", result.path("image").path("format").asText());
        String taskId = up.headers().firstValue("X-Skiff-Task").orElseThrow();
        JsonNode task = api.get("/tasks/" + taskId).body();
        assertEquals("SUCCEEDED", task.path("state").asText(), task.toString());
        assertEquals("image.upload", task.path("name").asText());
        assertEquals(100, task.path("progress").asInt(), task.toString());
        System.out.println("upload task: " + task);

        HttpResponse<InputStream> down = HTTP.send(fixture.request("/images/" + imageId + "/content").GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, down.statusCode());
        assertEquals(String.valueOf(file.length), down.headers().firstValue("Content-Length").orElse(""));
        assertEquals(sha, down.headers().firstValue("X-Skiff-Sha256").orElse(""));
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        long n;
        try (InputStream in = new DigestInputStream(down.body(), digest)) {
            n = in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        assertEquals(file.length, n);
        assertEquals(sha, HexFormat.of().formatHex(digest.digest()), "the download's SHA-256");

        assertEquals(1, api.get("/images?tag=busybox").body().size());
        assertEquals(1, api.get("/images?name=GUE").body().size());
        assertEquals(0, api.get("/images?tag=windows").body().size());
    }

    @Test
    @Order(2)
    void truncatedOrWrongUploadsAreRefusedAndLeaveNothing() throws Exception {
        byte[] file = Files.readAllBytes(guestImage);
        int tasksBefore = api.get("/tasks").body().size();
        HttpResponse<String> cut = fixture.upload("/images/upload?name=cut&sizeBytes=" + file.length,
                Arrays.copyOf(file, file.length / 2));
        assertEquals(400, cut.statusCode(), cut.body());
        System.out.println("[transcript] truncated upload → " + cut.statusCode() + " " + cut.body());
        JsonNode error = MAPPER.readTree(cut.body()).path("error");
        assertEquals("content", error.path("field").asText(), cut.body());
        assertTrue(error.path("message").asText().contains("truncated"), cut.body());

        HttpResponse<String> sum = fixture.upload("/images/upload?name=sum&sha256=" + "0".repeat(64), file);
        assertEquals(400, sum.statusCode(), sum.body());
        assertEquals("sha256", MAPPER.readTree(sum.body()).path("error").path("field").asText());
        System.out.println("[transcript] wrong sha256 → " + sum.statusCode() + " " + sum.body());

        HttpResponse<String> format = fixture.upload("/images/upload?name=fmt&format=qcow2", new byte[4096]);
        assertEquals(400, format.statusCode(), format.body());
        assertEquals("format", MAPPER.readTree(format.body()).path("error").path("field").asText());
        System.out.println("[transcript] wrong format → " + format.statusCode() + " " + format.body());

        assertEquals(1, api.get("/images").body().size(), "only the good image is listed");
        try (Stream<Path> files = Files.list(node.home.resolve("data/skiff/images"))) {
            List<String> names = files.map(p -> p.getFileName().toString()).toList();
            assertEquals(List.of(imageId + ".img"), names, "no partial file is left");
        }
        JsonNode tasks = api.get("/tasks").body();
        assertEquals(tasksBefore + 3, tasks.size());
        for (int i = 0; i < 3; i++) {
            assertEquals("FAILED", tasks.get(i).path("state").asText(), tasks.get(i).toString());
        }
    }

    @Test
    @Order(3)
    void isoMediaUploadListDownloadDelete() throws Exception {
        Path dir = Files.createTempDirectory("skiff-media");
        Path content = Files.createDirectories(dir.resolve("content"));
        Files.writeString(content.resolve("README.TXT"), "skiff medium\n");
        Path iso = dir.resolve("tools.iso");
        Process p = new ProcessBuilder("genisoimage", "-quiet", "-V", "TOOLS", "-o", iso.toString(), content.toString())
                .inheritIO().start();
        assertEquals(0, p.waitFor());
        byte[] bytes = Files.readAllBytes(iso);
        HttpResponse<String> up = fixture.upload("/media/upload?name=tools&sha256=" + sha256(bytes), bytes);
        assertEquals(201, up.statusCode(), up.body());
        System.out.println("[transcript] POST /media/upload → " + up.statusCode() + " " + up.body());
        String id = MAPPER.readTree(up.body()).path("medium").path("id").asText();
        HttpResponse<String> notIso = fixture.upload("/media/upload?name=disk", Files.readAllBytes(guestImage));
        assertEquals(400, notIso.statusCode(), notIso.body());
        assertEquals("format", MAPPER.readTree(notIso.body()).path("error").path("field").asText());
        assertEquals(1, api.get("/media").body().size());
        HttpResponse<byte[]> down = HTTP.send(fixture.request("/media/" + id + "/content").GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, down.statusCode());
        assertEquals(sha256(bytes), sha256(down.body()));
        assertEquals(sha256(bytes), down.headers().firstValue("X-Skiff-Sha256").orElse(""));
        assertEquals(204, api.delete("/media/tools").status());
        assertEquals(0, api.get("/media").body().size());
    }

    @Test
    @Order(4)
    void anImageBuiltFromAnInstanceGivesTwoLinkedClonesAndAFullCopyThatBoot() throws Exception {
        JsonNode made = vms.awaitTask(create("src", imageId, null), Duration.ofSeconds(300));
        assertEquals("SUCCEEDED", made.path("state").asText(), made.toString());
        vms.await("src boots", () -> api.get("/instances/src/console-log").text().contains("SKIFF-GUEST-READY"),
                Duration.ofSeconds(300));
        RestClient.Answer running = api.post("/instances/src/image", "{\"name\":\"built\"}");
        assertEquals(409, running.status(), running.text());
        assertEquals("instance", running.body().path("error").path("field").asText());
        assertEquals("SUCCEEDED", vms.awaitTask(api.post("/instances/src/stop?force=true", null).body().path("id")
                .asText(), Duration.ofSeconds(120)).path("state").asText());
        vms.await("src stopped", () -> vms.instance("src").path("state").asText().equals("STOPPED"),
                Duration.ofSeconds(60));
        RestClient.Answer dup = api.post("/instances/src/image", "{\"name\":\"guest\"}");
        assertEquals(409, dup.status(), dup.text());
        assertEquals("name", dup.body().path("error").path("field").asText());

        RestClient.Answer capture = api.post("/instances/src/image", "{\"name\":\"built\",\"tags\":[\"captured\"]}");
        assertEquals(202, capture.status(), capture.text());
        JsonNode captured = vms.awaitTask(capture.body().path("id").asText(), Duration.ofSeconds(300));
        assertEquals("SUCCEEDED", captured.path("state").asText(), captured.toString());
        assertEquals(100, captured.path("progress").asInt());
        JsonNode built = api.get("/images/built").body();
        System.out.println("[transcript] POST /instances/src/image → task " + captured + "\n[transcript] GET /images/built → "
                + built);
        assertEquals("qcow2", built.path("format").asText(), built.toString());
        assertEquals("captured", built.path("tags").get(0).asText());
        String builtId = built.path("id").asText();

        String t1 = create("ln-1", builtId, null);
        String t2 = create("ln-2", builtId, "linked");
        String t3 = create("full-1", builtId, "full");
        for (String t : List.of(t1, t2, t3)) {
            JsonNode task = vms.awaitTask(t, Duration.ofSeconds(300));
            assertEquals("SUCCEEDED", task.path("state").asText(), task.toString());
        }
        for (String name : List.of("ln-1", "ln-2", "full-1")) {
            vms.await(name + " boots", () -> api.get("/instances/" + name + "/console-log").text()
                    .contains("SKIFF-GUEST-READY"), Duration.ofSeconds(300));
        }
        String ln1 = vms.instance("ln-1").path("id").asText();
        String full = vms.instance("full-1").path("id").asText();
        String linkedXml = Virsh.run("vol-dumpxml", "--pool", STORAGE_POOL, "skiff-" + ln1 + "-disk0.qcow2");
        assertTrue(linkedXml.contains("<backingStore>"), "a linked clone has a backing file:\n" + linkedXml);
        String fullXml = Virsh.run("vol-dumpxml", "--pool", STORAGE_POOL, "skiff-" + full + "-disk0.qcow2");
        assertFalse(fullXml.contains("<backingStore>"), "a full copy has none:\n" + fullXml);

        RestClient.Answer refused = api.delete("/images/built");
        assertEquals(409, refused.status(), refused.text());
        System.out.println("[transcript] DELETE /images/built → " + refused.status() + " " + refused.text());
        System.out.println("[transcript] GET /instances/full-1 disks: "
                + vms.instance("full-1").path("spec").path("disks"));
        String message = refused.body().path("error").path("message").asText();
        assertTrue(message.contains("ln-1") && message.contains("ln-2") && !message.contains("full-1"), message);
    }

    @Test
    @Order(5)
    void aRunningGuestSeesItsDiskGrow() throws Exception {
        String before = lastVda("ln-1");
        long size = Long.parseLong(before);
        long grown = size + (64L << 20);
        RestClient.Answer shrink = api.post("/instances/ln-1/disks/0/resize", "{\"sizeBytes\":" + (size / 2) + "}");
        assertEquals(409, shrink.status(), shrink.text()); // a disk shrinks only while its instance is stopped
        assertEquals("instance", shrink.body().path("error").path("field").asText());
        RestClient.Answer noDisk = api.post("/instances/ln-1/disks/5/resize", "{\"sizeBytes\":" + grown + "}");
        assertEquals(400, noDisk.status(), noDisk.text());
        assertEquals("disk", noDisk.body().path("error").path("field").asText());

        RestClient.Answer resize = api.post("/instances/ln-1/disks/0/resize", "{\"sizeBytes\":" + grown + "}");
        assertEquals(202, resize.status(), resize.text());
        JsonNode task = vms.awaitTask(resize.body().path("id").asText(), Duration.ofSeconds(120));
        assertEquals("SUCCEEDED", task.path("state").asText(), task.toString());
        assertTrue(node.log().contains("disk 0 resized (live)"), "the cell grew it through the hypervisor");
        vms.await("the guest sees vda=" + grown, () -> lastVda("ln-1").equals(String.valueOf(grown)),
                Duration.ofSeconds(60));
        assertEquals(grown, vms.instance("ln-1").path("spec").path("disks").get(0).path("sizeBytes").asLong());
        System.out.println("[transcript] POST /instances/ln-1/disks/0/resize → " + resize.status() + " " + resize.text());
        System.out.println("[transcript] shrink → " + shrink.status() + " " + shrink.text());
        System.out.println("[transcript] console: " + api.get("/instances/ln-1/console-log").text().lines()
                .filter(l -> l.contains("SKIFF-GUEST-DISKS")).toList());
        System.out.println("guest disk line after the resize: vda=" + lastVda("ln-1") + " (was " + before + ")");
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private static String create(String name, String image, String cloneMode) {
        RestClient.Answer created = api.post("/instances", "{\"name\":\"" + name + "\",\"poolId\":\"vms\","
                + "\"cores\":1,\"memoryBytes\":268435456,\"disks\":[{\"imageId\":\"" + image + "\""
                + (cloneMode == null ? "" : ",\"cloneMode\":\"" + cloneMode + "\"") + "}],"
                + "\"profile\":\"linux-virtio\"}");
        assertEquals(202, created.status(), created.text());
        return created.body().path("id").asText();
    }

    private static String lastVda(String name) {
        Matcher m = VDA.matcher(api.get("/instances/" + name + "/console-log?maxBytes=65536").text());
        String last = "";
        while (m.find()) {
            last = m.group(1);
        }
        return last;
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
