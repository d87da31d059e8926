package io.skiff.itests.vm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skiff.itests.guest.Commands;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
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
 * The media CD-ROM drive of instances on real guests (libvirt qemu:///system, QEMU TCG, the test guest): an ISO made
 * with genisoimage is inserted into a running guest (the guest sees it as {@code sr1}; the NoCloud seed is
 * {@code sr0}) and ejected again, both live; on the stopped instance insert and eject change the persistent
 * definition; a medium in a drive cannot be deleted; bad input is refused naming the field; an instance with a blank
 * system disk boots from a bootable ISO (isolinux, El Torito) with {@code bootFrom=cdrom}; the cell's media cache
 * keeps only what instances hold.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MediaIT {
    private static final String PASSWORD = "media-test-secret";
    private static final int HTTP_PORT = 9881;
    private static final int SSH_PORT = 9901;
    private static final String STORAGE_POOL = "skiff-itest-cdrom-" + UUID.randomUUID().toString().substring(0, 8);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern DISKS = Pattern.compile("SKIFF-GUEST-DISKS([^\\r\\n]*)");
    private static VmTestNode fixture;
    private static InstanceApi vms;
    private static RestClient api;
    private static String imageId;
    private static Path work;
    private static String toolsId;
    private static long toolsSize;
    private static String instanceId;

    @BeforeAll
    static void start() throws Exception {
        fixture = VmTestNode.start("media-node", "media-cell", "skiff-media-test", HTTP_PORT, SSH_PORT, 28050,
                PASSWORD, STORAGE_POOL);
        vms = fixture.vms();
        api = fixture.api;
        imageId = fixture.imageId;
        work = Files.createTempDirectory("skiff-media-it");
    }

    @AfterAll
    static void stop() throws Exception {
        VmTestNode.stop(fixture, STORAGE_POOL, Duration.ofSeconds(180));
    }

    /** @return the {@code drive} data of a media task's change step (after an insert's reservation step) */
    private static String drive(JsonNode task) {
        for (JsonNode step : task.path("steps")) {
            if ("media.change".equals(step.path("kind").asText())) {
                return step.path("data").path("drive").asText();
            }
        }
        return "";
    }

    private static void expect(int status, String field, RestClient.Answer answer) {
        assertEquals(status, answer.status(), answer.text());
        assertEquals(field, answer.body().path("error").path("field").asText(), answer.text());
        System.out.println("[transcript] → " + answer.status() + " " + answer.text());
    }

    private static String console(String name) {
        return api.get("/instances/" + name + "/console-log?maxBytes=262144").text();
    }

    /** @return the guest's last {@code SKIFF-GUEST-DISKS} line (devices and sizes) */
    private static String lastDisks(String name) {
        Matcher m = DISKS.matcher(console(name));
        String last = "";
        while (m.find()) {
            last = m.group(1).trim();
        }
        return last;
    }

    private static String liveXml() {
        return Virsh.dumpxml("skiff-" + instanceId).replaceAll(">\\s+<", "><");
    }

    private static String inactiveXml() {
        return Virsh.run("dumpxml", "--inactive", "skiff-" + instanceId).replaceAll(">\\s+<", "><");
    }

    /** @return the media drive's {@code <disk>} element of a domain XML */
    private static String mediaDrive(String xml) {
        Matcher m = Pattern.compile("<disk type='file' device='cdrom'>(?:(?!</disk>).)*ua-skiff-media(?:(?!</disk>).)*</disk>")
                .matcher(xml);
        assertTrue(m.find(), "no media drive in " + xml);
        return m.group();
    }

    private static Path mediaCache() {
        return fixture.node.home.resolve("data/skiff/cell/media");
    }

    private static List<String> cached() throws Exception {
        if (!Files.isDirectory(mediaCache())) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(mediaCache())) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static String shell(String command) {
        Commands.Result r = Commands.run(Duration.ofMinutes(3), "sshpass", "-p", PASSWORD, "ssh", "-p",
                Integer.toString(SSH_PORT), "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                "-o", "LogLevel=ERROR", "admin@127.0.0.1", command);
        String out = r.stdout() + r.stderr();
        System.out.println("[transcript] karaf@root()> " + command + "\n" + out.strip());
        return out;
    }

    private static String upload(String name, Path iso) throws Exception {
        byte[] bytes = Files.readAllBytes(iso);
        HttpResponse<String> up = fixture.upload("/media/upload?name=" + name + "&sha256=" + HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(bytes)), bytes);
        assertEquals(201, up.statusCode(), up.body());
        return MAPPER.readTree(up.body()).path("medium").path("id").asText();
    }

    private static void run(String... command) throws Exception {
        Commands.Result r = Commands.run(Duration.ofMinutes(2), command);
        assertEquals(0, r.exitCode(), String.join(" ", command) + ": " + r.stdout() + r.stderr());
    }

    @Test
    @Order(1)
    void badInputIsRefusedNamingTheField() throws Exception {
        Path content = Files.createDirectories(work.resolve("tools"));
        Files.writeString(content.resolve("README.TXT"), "skiff tools medium\n");
        Path iso = work.resolve("tools.iso");
        run("genisoimage", "-quiet", "-V", "TOOLS", "-o", iso.toString(), content.toString());
        toolsSize = Files.size(iso);
        toolsId = upload("tools", iso);

        String base = "{\"poolId\":\"vms\",\"cores\":1,\"memoryBytes\":268435456,\"disks\":[{\"imageId\":\""
                + imageId + "\"}]";
        expect(400, "bootFrom", api.post("/instances", "{\"name\":\"bad\"," + base.substring(1)
                + ",\"bootFrom\":\"floppy\"}"));
        expect(404, "media", api.post("/instances", "{\"name\":\"bad\"," + base.substring(1)
                + ",\"media\":\"no-such-medium\"}"));
        assertEquals(0, api.get("/instances").body().size(), "a refused create leaves nothing");

        vms.succeeded(api.post("/instances", "{\"name\":\"md\"," + base.substring(1) + "}"));
        instanceId = vms.instance("md").path("id").asText();
        vms.await("md boots", () -> console("md").contains(TestGuest.READY), Duration.ofMinutes(4));
        System.out.println("[transcript] md disks at boot: " + lastDisks("md"));
        // the seed CD is sr0, the empty media drive sr1
        assertTrue(lastDisks("md").matches(".*sr0=\\d+ sr1=empty.*"), lastDisks("md"));
        JsonNode md = vms.instance("md");
        assertTrue(md.path("spec").path("media").isNull(), md.toString());
        assertEquals("disk", md.path("spec").path("bootFrom").asText(), md.toString());
        String drive = mediaDrive(liveXml());
        assertFalse(drive.contains("<source file="), drive);

        expect(404, "media", api.post("/instances/md/media", "{\"media\":\"no-such-medium\"}"));
        expect(400, "media", api.post("/instances/md/media", "{}"));
        expect(409, "media", api.delete("/instances/md/media"));
        expect(400, "bootFrom", api.put("/instances/md/boot-from", "{\"bootFrom\":\"floppy\"}"));
        expect(409, "instance", api.put("/instances/md/boot-from", "{\"bootFrom\":\"cdrom\"}"));
        assertTrue(vms.instance("md").path("spec").path("media").isNull());
        assertEquals(List.of(), cached(), "nothing was fetched");
    }

    @Test
    @Order(2)
    void insertAndEjectLive() throws Exception {
        JsonNode task = vms.succeeded(api.post("/instances/md/media", "{\"media\":\"tools\"}"));
        System.out.println("[transcript] POST /instances/md/media {\"media\":\"tools\"} → task " + task.path("name")
                .asText() + " " + task.path("state").asText() + ", drive " + drive(task));
        vms.await("the guest sees the medium", () -> lastDisks("md").contains("sr1=" + toolsSize),
                Duration.ofSeconds(60));
        System.out.println("[transcript] md disks: " + lastDisks("md"));
        String drive = mediaDrive(liveXml());
        assertTrue(drive.contains("<source file='" + mediaCache().resolve(toolsId + ".iso")), drive);
        assertTrue(mediaDrive(inactiveXml()).contains(toolsId + ".iso"), "the definition holds it too");
        assertEquals(toolsId, vms.instance("md").path("spec").path("media").asText());
        assertEquals(List.of(toolsId + ".iso"), cached());

        RestClient.Answer refused = api.delete("/media/tools");
        expect(409, "media", refused);
        assertTrue(refused.text().contains("md"), refused.text());
        assertEquals(1, api.get("/media").body().size());

        String info = shell("skiff:instance-info md");
        assertTrue(info.contains("tools (" + toolsId + ")"), info);
        // labels from the shell: set, filter by, remove, refuse
        String mdId = vms.instance("md").path("id").asText();
        String labelled = shell("skiff:instance-label md tier=web role=tools");
        assertTrue(labelled.contains("Instance md: labels role=tools,tier=web"), labelled);
        assertTrue(shell("skiff:instance-list --label tier=web --label role").contains(mdId));
        assertFalse(shell("skiff:instance-list --label tier=db").contains(mdId));
        assertTrue(shell("skiff:instance-label md tier-").contains("labels role=tools"));
        String missing = shell("skiff:instance-label md colour-");
        assertTrue(missing.contains("instance 'md' has no label 'colour' [labels]"), missing);
        String bad = shell("skiff:instance-label md tier=a/b");
        assertTrue(bad.contains("label 'tier' has a bad value 'a/b'") && bad.contains("[labels]"), bad);
        assertTrue(shell("skiff:instance-info md").contains("Labels   : role=tools"));
        // the Core's metrics from the shell, as GET /api/v1/metrics serves them
        String metrics = shell("skiff:metrics --match skiff_instances");
        assertTrue(metrics.contains("# TYPE skiff_instances gauge") && metrics.contains("state=\"running\"")
                && !metrics.contains("jvm_"), metrics);

        task = vms.succeeded(api.delete("/instances/md/media"));
        System.out.println("[transcript] DELETE /instances/md/media → task " + task.path("name").asText() + " "
                + task.path("state").asText() + ", drive " + drive(task));
        vms.await("the guest sees the drive empty", () -> lastDisks("md").contains("sr1=empty"),
                Duration.ofSeconds(60));
        System.out.println("[transcript] md disks: " + lastDisks("md"));
        assertFalse(mediaDrive(liveXml()).contains("<source file="), liveXml());
        assertFalse(mediaDrive(inactiveXml()).contains("<source file="), inactiveXml());
        assertTrue(vms.instance("md").path("spec").path("media").isNull());
        assertEquals(List.of(), cached(), "the ejected medium left the cell's cache");

        // the same through the shell
        String inserted = shell("skiff:instance-media-insert --wait md tools");
        assertTrue(inserted.contains("100% done"), inserted);
        vms.await("the guest sees the medium again", () -> lastDisks("md").contains("sr1=" + toolsSize),
                Duration.ofSeconds(60));
        String ejected = shell("skiff:instance-media-eject --wait md");
        assertTrue(ejected.contains("100% done"), ejected);
        vms.await("the guest sees the drive empty again", () -> lastDisks("md").contains("sr1=empty"),
                Duration.ofSeconds(60));
    }

    @Test
    @Order(3)
    void aSnapshotRevertKeepsTheInstancesMedium() throws Exception {
        // insert, snapshot (its definition names the ISO), eject, revert: the record wins, the drive is empty again
        vms.succeeded(api.post("/instances/md/media", "{\"media\":\"tools\"}"));
        vms.succeeded(api.post("/instances/md/snapshots", "{\"name\":\"with-tools\"}"));
        vms.succeeded(api.delete("/instances/md/media"));
        assertEquals(List.of(toolsId + ".iso"), cached(), "the snapshot's medium stays in the cache for a revert");
        JsonNode task = vms.succeeded(api.post("/instances/md/snapshots/with-tools/revert", "{}"));
        System.out.println("[transcript] revert with-tools → " + task.path("steps").toString());
        assertEquals("running", vms.instance("md").path("state").asText().toLowerCase());
        JsonNode media = vms.instance("md").path("spec").path("media");
        String live = mediaDrive(liveXml());
        String inactive = mediaDrive(inactiveXml());
        System.out.println("[transcript] after revert: API media=" + media + ", virsh dumpxml drive: " + live);
        assertTrue(media.isNull(), media.toString());
        assertFalse(live.contains("<source file="), live);
        assertFalse(inactive.contains("<source file="), inactive);

        // and the other way: the snapshot's drive is empty, the instance holds the medium
        vms.succeeded(api.post("/instances/md/snapshots", "{\"name\":\"without\"}"));
        vms.succeeded(api.post("/instances/md/media", "{\"media\":\"tools\"}"));
        vms.succeeded(api.post("/instances/md/snapshots/without/revert", "{}"));
        assertEquals(toolsId, vms.instance("md").path("spec").path("media").asText());
        assertTrue(mediaDrive(liveXml()).contains(toolsId + ".iso"), liveXml());
        assertTrue(mediaDrive(inactiveXml()).contains(toolsId + ".iso"), inactiveXml());
        vms.succeeded(api.delete("/instances/md/media"));

        // libvirt deletes a running guest's snapshot only while its CD-ROMs hold what they held then: 409, offline ok
        JsonNode refused = vms.awaitTask(api.delete("/instances/md/snapshots/with-tools").body().path("id").asText(),
                Duration.ofMinutes(2));
        assertEquals("FAILED", refused.path("state").asText(), refused.toString());
        assertTrue(refused.path("error").asText().contains("only while the instance is stopped"), refused.toString());
    }

    @Test
    @Order(4)
    void onAStoppedInstanceTheDefinitionChanges() throws Exception {
        vms.succeeded(api.post("/instances/md/stop?force=true", "{}"));
        vms.succeeded(api.delete("/instances/md/snapshots/with-tools"));
        vms.succeeded(api.delete("/instances/md/snapshots/without"));
        assertEquals(List.of(), cached(), "without snapshots naming it, the medium left the cell's cache");
        JsonNode task = vms.succeeded(api.post("/instances/md/media", "{\"media\":\"" + toolsId + "\"}"));
        assertEquals("offline", drive(task), task.toString());
        assertEquals("shut off", Virsh.domstate("skiff-" + instanceId));
        assertTrue(mediaDrive(inactiveXml()).contains(toolsId + ".iso"), inactiveXml());

        // boot from the media drive: per-device boot order, the drive first, then the system disk
        RestClient.Answer boot = api.put("/instances/md/boot-from", "{\"bootFrom\":\"cdrom\"}");
        assertEquals(200, boot.status(), boot.text());
        System.out.println("[transcript] PUT /instances/md/boot-from {\"bootFrom\":\"cdrom\"} → " + boot.status()
                + " bootFrom=" + boot.body().path("spec").path("bootFrom").asText());
        String xml = inactiveXml();
        assertFalse(xml.contains("<boot dev="), xml);
        assertTrue(mediaDrive(xml).contains("<boot order='1'/>"), xml);
        assertTrue(xml.contains("<target dev='vda' bus='virtio'/><boot order='2'/>"), xml);
        String shellBoot = shell("skiff:instance-boot-from md disk");
        assertTrue(shellBoot.contains("boots from disk"), shellBoot);
        xml = inactiveXml();
        assertTrue(xml.contains("<boot dev='hd'/>") && !xml.contains("<boot order="), xml);

        vms.succeeded(api.delete("/instances/md/media"));
        assertFalse(mediaDrive(inactiveXml()).contains("<source file="), inactiveXml());
        assertEquals(List.of(), cached());
        vms.succeeded(api.delete("/instances/md?force=true"));
        vms.await("md deleted", () -> api.get("/instances/md").status() == 404, Duration.ofMinutes(2));
    }

    @Test
    @Order(5)
    void aBlankInstanceBootsFromABootableIso() throws Exception {
        Path guest = TestGuest.image().getParent();
        Path tree = Files.createDirectories(work.resolve("boot/isolinux"));
        Files.copy(guest.resolve("vmlinuz"), tree.getParent().resolve("vmlinuz"));
        Files.copy(guest.resolve("initrd.img"), tree.getParent().resolve("initrd.img"));
        Files.copy(Path.of("/usr/lib/ISOLINUX/isolinux.bin"), tree.resolve("isolinux.bin"));
        Files.copy(Path.of("/usr/lib/syslinux/modules/bios/ldlinux.c32"), tree.resolve("ldlinux.c32"));
        Files.writeString(tree.resolve("isolinux.cfg"), "DEFAULT skiff\nPROMPT 0\nTIMEOUT 0\nLABEL skiff\n"
                + "  LINUX /vmlinuz\n  INITRD /initrd.img\n  APPEND console=ttyS0,115200 quiet panic=-1\n");
        Path iso = work.resolve("boot.iso");
        run("genisoimage", "-quiet", "-o", iso.toString(), "-b", "isolinux/isolinux.bin", "-c", "isolinux/boot.cat",
                "-no-emul-boot", "-boot-load-size", "4", "-boot-info-table", "-J", "-R", "-V", "SKIFFBOOT",
                tree.getParent().toString());
        String bootId = upload("bootable", iso);

        RestClient.Answer create = api.post("/instances", "{\"name\":\"cd\",\"poolId\":\"vms\",\"cores\":1,"
                + "\"memoryBytes\":268435456,\"disks\":[{\"sizeBytes\":67108864}],\"media\":\"bootable\","
                + "\"bootFrom\":\"cdrom\"}");
        vms.succeeded(create);
        JsonNode cd = vms.instance("cd");
        System.out.println("[transcript] cd: media=" + cd.path("spec").path("media").asText() + " bootFrom="
                + cd.path("spec").path("bootFrom").asText());
        assertEquals(bootId, cd.path("spec").path("media").asText());
        vms.await("cd boots from the ISO", () -> console("cd").contains(TestGuest.READY), Duration.ofMinutes(4));
        System.out.println("[transcript] cd console:\n" + console("cd").lines()
                .filter(l -> l.startsWith("SKIFF-GUEST")).limit(4).reduce("", (a, b) -> a + b + "\n"));
        assertTrue(lastDisks("cd").contains("vda=67108864"), lastDisks("cd"));
        assertTrue(lastDisks("cd").contains("sr1=" + Files.size(iso)), lastDisks("cd"));
        assertEquals(List.of(bootId + ".iso"), cached());

        expect(409, "media", api.delete("/media/bootable"));
        vms.succeeded(api.delete("/instances/cd?force=true"));
        vms.await("cd deleted", () -> api.get("/instances/cd").status() == 404, Duration.ofMinutes(2));
        assertEquals(List.of(), cached(), "the deleted instance's medium left the cell's cache");
        assertFalse(Virsh.domainNames().contains("skiff-" + cd.path("id").asText()));
        assertTrue(Virsh.volumeNames(STORAGE_POOL).isEmpty(), Virsh.volumeNames(STORAGE_POOL).toString());
        assertEquals(204, api.delete("/media/bootable").status());
        assertEquals(204, api.delete("/media/tools").status());
        assertEquals(0, api.get("/media").body().size());
    }
}
