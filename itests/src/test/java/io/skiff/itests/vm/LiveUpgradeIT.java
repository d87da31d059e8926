package io.skiff.itests.vm;

import com.fasterxml.jackson.databind.JsonNode;
import io.skiff.itests.guest.Commands;
import io.skiff.itests.guest.Virsh;
import io.skiff.itests.system.KarafNode;
import io.skiff.itests.system.RestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Live upgrade and extensions on the real distribution (all-in-one) with real guests under TCG:
 * <ol>
 * <li>with two guests running, the storage-local, profiles-standard and hypervisor-libvirt bundles are updated (bundle:update) to
 * test-built bundles with another Bundle-Version: the guests keep their domain ids, no Core or Cell component is
 * re-activated (same activation ids and counts), and new requests are served by the new bundles;</li>
 * <li>a stopped provider bundle makes the requests that need it fail with "provider X is not available" (REST 503
 * or a failed task naming the provider; a shell error line) while everything else works; started again, all
 * works;</li>
 * <li>each plugins-example installs with feature:repo-add + feature:install, creates an instance (the pack policy
 * places it, the linux-uefi profile gives an OVMF domain, the tree backend holds its disk), is refused removal
 * while the instance exists, and uninstalls cleanly afterwards.</li>
 * </ol>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LiveUpgradeIT {
    private static final String PASSWORD = "upgrade-test-secret";
    private static final int HTTP_PORT = 9381;
    private static final int SSH_PORT = 9401;
    private static final String STORAGE_POOL = "skiff-itest-upgrade-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String NEW_VERSION = "0.1.1.upgrade-test";
    private static final String VERSION = System.getProperty("skiff.version", "0.1.0-SNAPSHOT");
    private static VmTestNode fixture;
    private static InstanceApi vms;
    private static KarafNode node;
    private static RestClient api;
    private static String imageId;
    private static final List<String> instanceIds = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        fixture = VmTestNode.options("upgrade").node("upgrade-node", "upgrade-cell", "skiff-upgrade-test")
                .ports(HTTP_PORT, SSH_PORT, 27950).password(PASSWORD).storagePool(STORAGE_POOL)
                .upTimeout(Duration.ofMinutes(3))
                .beforeStart(n -> {
                    // feature:repo-add mvn:io.skiff.examples/... resolves from the build's local repository, never remotely
                    String localRepository = System.getProperty("org.ops4j.pax.url.mvn.localRepository",
                            Path.of(System.getProperty("user.home"), ".m2", "repository").toString());
                    Files.writeString(n.home.resolve("etc/org.ops4j.pax.url.mvn.cfg"),
                            "\norg.ops4j.pax.url.mvn.localRepository = " + localRepository
                                    + "\norg.ops4j.pax.url.mvn.offline = true\n", StandardOpenOption.APPEND);
                })
                .start();
        node = fixture.node;
        api = fixture.api;
        imageId = fixture.imageId;
        vms = fixture.vms();
    }

    @AfterAll
    static void stop() throws Exception {
        VmTestNode.stop(fixture, STORAGE_POOL, Duration.ofSeconds(120), instanceIds);
    }

    // ---- 1. live update with guests running -----------------------------------------------------------------

    @Test
    @Order(1)
    void updatingStorageAndProfilesBundlesLeavesGuestsAndComponentsAlone() throws Exception {
        String t1 = vms.create("vm-a", "vms", imageId);
        String t2 = vms.create("vm-b", "vms", imageId);
        assertEquals("SUCCEEDED", vms.awaitTask(t1, Duration.ofMinutes(4)).path("state").asText());
        assertEquals("SUCCEEDED", vms.awaitTask(t2, Duration.ofMinutes(4)).path("state").asText());
        String a = vms.instance("vm-a").path("id").asText();
        String b = vms.instance("vm-b").path("id").asText();
        String domainsBefore = domid(a) + "/" + domid(b);
        Map<String, String> componentsBefore = components();
        assertTrue(componentsBefore.keySet().containsAll(List.of("InstanceManager", "InstanceAgent", "CellAgent",
                "CellRegistry", "TaskEngine")), componentsBefore.toString());

        JsonNode local = provider("StorageBackend", "local");
        JsonNode virtio = provider("GuestProfile", "linux-virtio");
        assertTrue(local.path("usedBy").toString().contains("vm-a"), local.toString());
        assertTrue(virtio.path("usedBy").toString().contains("vm-b"), virtio.toString());
        Path storageJar = withBundleVersion(builtJar("storage-local"), NEW_VERSION);
        Path profilesJar = withBundleVersion(builtJar("profiles-standard"), NEW_VERSION);
        JsonNode libvirt = provider("Hypervisor", "libvirt");
        Path hypervisorJar = withBundleVersion(builtJar("hypervisor-libvirt"), NEW_VERSION);

        String out = shell("bundle:update " + local.path("bundleId").asLong() + " " + storageJar.toUri()
                + "; bundle:update " + virtio.path("bundleId").asLong() + " " + profilesJar.toUri()
                + "; bundle:update " + libvirt.path("bundleId").asLong() + " " + hypervisorJar.toUri());
        System.out.println("bundle:update → " + out);
        vms.await("new storage, profiles and hypervisor bundles serve", () ->
                NEW_VERSION.equals(providerVersion("StorageBackend", "local"))
                        && NEW_VERSION.equals(providerVersion("GuestProfile", "linux-virtio"))
                        && NEW_VERSION.equals(providerVersion("Hypervisor", "libvirt")), Duration.ofMinutes(2));

        assertEquals(componentsBefore, components(), "no Core or Cell component was re-activated");
        assertEquals(domainsBefore, domid(a) + "/" + domid(b), "the guests kept running in the same domains");
        assertEquals("RUNNING", vms.instance("vm-a").path("state").asText());
        assertEquals("RUNNING", vms.instance("vm-b").path("state").asText());

        // a new request goes through the new bundles (the only providers of 'local' and 'linux-virtio' now)
        String t3 = vms.create("vm-c", "vms", imageId);
        assertEquals("SUCCEEDED", vms.awaitTask(t3, Duration.ofMinutes(4)).path("state").asText());
        JsonNode newLocal = provider("StorageBackend", "local");
        assertEquals(NEW_VERSION, newLocal.path("bundleVersion").asText());
        assertTrue(newLocal.path("usedBy").toString().contains("vm-c"), newLocal.toString());
        assertTrue(shell("skiff:provider-list").contains(NEW_VERSION));
        assertEquals("SUCCEEDED", vms.awaitTask(api.delete("/instances/vm-c?force=true").body().path("id").asText(),
                Duration.ofMinutes(2)).path("state").asText());
        assertEquals(componentsBefore, components(), "still no re-activation");
    }

    // ---- 2. a provider stopped and started again ------------------------------------------------------------

    @Test
    @Order(2)
    void stoppedProviderFailsOnlyWhatNeedsIt() throws Exception {
        Map<String, String> componentsBefore = components();
        long storage = provider("StorageBackend", "local").path("bundleId").asLong();
        long profiles = provider("GuestProfile", "linux-virtio").path("bundleId").asLong();

        shell("bundle:stop " + profiles);
        vms.await("profiles gone", () -> providerVersion("GuestProfile", "linux-virtio") == null,
                Duration.ofMinutes(1));
        RestClient.Answer refused = api.post("/instances", createBody("vm-d", "linux-virtio", null));
        assertEquals(503, refused.status(), refused.text());
        assertEquals("provider-unavailable", refused.body().path("error").path("code").asText(), refused.text());
        assertTrue(refused.body().path("error").path("message").asText()
                .contains("provider linux-virtio (GuestProfile) is not available"), refused.text());
        String line = shell("skiff:instance-create -p vms -i " + imageId + " vm-d");
        assertTrue(line.contains("provider linux-virtio (GuestProfile) is not available"), line);
        assertEquals(200, api.get("/instances").status(), "listing works");
        vms.await("the guest still runs and answers on its console", () ->
                api.get("/instances/vm-a/console-log").text().contains("SKIFF-GUEST-READY"), Duration.ofMinutes(2));
        shell("bundle:start " + profiles);
        vms.await("profiles back", () -> providerVersion("GuestProfile", "linux-virtio") != null,
                Duration.ofMinutes(1));

        shell("bundle:stop " + storage);
        vms.await("storage gone", () -> providerVersion("StorageBackend", "local") == null, Duration.ofMinutes(1));
        RestClient.Answer accepted = api.post("/instances", createBody("vm-d", "linux-virtio", null));
        assertEquals(202, accepted.status(), accepted.text());
        JsonNode failed = vms.awaitTask(accepted.body().path("id").asText(), Duration.ofMinutes(2));
        assertEquals("FAILED", failed.path("state").asText(), failed.toString());
        assertTrue(failed.toString().contains("provider local (StorageBackend) is not available"), failed.toString());
        assertEquals(404, api.get("/instances/vm-d").status(), "rolled back");
        assertFalse(failed.toString().contains("undo of step"), "the rollback completed: " + failed);
        // power operations need no storage provider
        assertEquals("SUCCEEDED", vms.awaitTask(api.post("/instances/vm-b/stop", null).body().path("id").asText(),
                Duration.ofMinutes(2)).path("state").asText());
        vms.await("vm-b reported stopped", () -> vms.instance("vm-b").path("state").asText().equals("STOPPED"),
                Duration.ofMinutes(1));
        RestClient.Answer start = api.post("/instances/vm-b/start", null);
        assertEquals(202, start.status(), start.text());
        assertEquals("SUCCEEDED", vms.awaitTask(start.body().path("id").asText(), Duration.ofMinutes(2))
                .path("state").asText());
        shell("bundle:start " + storage);
        vms.await("storage back", () -> providerVersion("StorageBackend", "local") != null, Duration.ofMinutes(1));

        String t = vms.create("vm-d", "vms", imageId);
        assertEquals("SUCCEEDED", vms.awaitTask(t, Duration.ofMinutes(4)).path("state").asText());
        assertEquals("SUCCEEDED", vms.awaitTask(api.delete("/instances/vm-d?force=true").body().path("id").asText(),
                Duration.ofMinutes(2)).path("state").asText());
        assertEquals(componentsBefore, components(), "no Core or Cell component was re-activated");
    }

    // ---- 3. the plugins-examples ----------------------------------------------------------------------------

    @Test
    @Order(3)
    void pluginExamplesInstallServeAndUninstall() throws Exception {
        Map<String, String> componentsBefore = components();
        for (String example : List.of("placement-pack", "profile-uefi", "storage-tree")) {
            String out = shell("feature:repo-add mvn:io.skiff.examples/skiff-example-" + example + "/" + VERSION
                    + "/xml/features; feature:install skiff-example-" + example);
            System.out.println(example + " → " + out);
        }
        vms.await("the three providers are registered", () -> providerVersion("PlacementPolicy", "pack") != null
                && providerVersion("GuestProfile", "linux-uefi") != null
                && providerVersion("StorageBackend", "tree") != null, Duration.ofMinutes(2));
        vms.await("pool 'tree' is reported", () -> api.get("/cells/storage-pools").text().contains("\"name\":\"tree\""),
                Duration.ofMinutes(1));
        shell("config:property-set -p io.skiff.core.instances placementPolicy pack");
        long[] lastSet = {System.nanoTime()};
        vms.await("pack selected", () -> {
            if (provider("PlacementPolicy", "pack").path("usedBy").size() > 0) {
                return true;
            }
            // Karaf's file watcher may put the etc/ file's older value back right after the shell's change (seen once
            // in CI: "instance settings updated: placement policy pack", then "... least-loaded" 13 ms later): set it
            // again after a while
            if (System.nanoTime() - lastSet[0] > 5_000_000_000L) {
                shell("config:property-set -p io.skiff.core.instances placementPolicy pack");
                lastSet[0] = System.nanoTime();
            }
            return false;
        }, Duration.ofMinutes(1));

        RestClient.Answer created = api.post("/instances", createBody("vm-plug", "linux-uefi", "tree"));
        assertEquals(202, created.status(), created.text());
        JsonNode task = vms.awaitTask(created.body().path("id").asText(), Duration.ofMinutes(4));
        assertEquals("SUCCEEDED", task.path("state").asText(), task.toString());
        JsonNode vm = vms.instance("vm-plug");
        String id = vm.path("id").asText();
        instanceIds.add(id);
        // pack: the first cell by id with room (here the only cell)
        assertEquals("upgrade-cell", vm.path("cellId").asText());
        assertTrue(node.log().contains("placed on cell upgrade-cell"), "placement logged");
        String xml = Virsh.dumpxml("skiff-" + id);
        assertTrue(xml.contains("OVMF"), "the UEFI profile's domain boots OVMF:\n" + xml);
        assertTrue(xml.contains("machine='pc-q35"), xml);
        assertTrue(xml.contains("/tree/") && xml.contains("disk.qcow2"), "the disk is in the tree backend:\n" + xml);
        // usage follows the cells' pool reports: fileinstall may hand the example its etc/ configuration only now
        // (seen in CI: 0.6 s after the create), which restarts the backend and drops the pool from one report
        vms.await("the tree backend used by vm-plug", () -> provider("StorageBackend", "tree").path("usedBy").toString()
                .contains("vm-plug"), Duration.ofSeconds(30));

        String refusedUefi = shell("skiff:provider-remove linux-uefi");
        assertTrue(refusedUefi.contains("is in use by vm-plug"), refusedUefi);
        String refusedPack = shell("skiff:provider-remove pack");
        assertTrue(refusedPack.contains("is in use by setting"), refusedPack);
        assertTrue(shell("feature:list -i").contains("skiff-example-profile-uefi"), "still installed");

        assertEquals("SUCCEEDED", vms.awaitTask(api.delete("/instances/vm-plug?force=true").body().path("id").asText(),
                Duration.ofMinutes(2)).path("state").asText());
        assertFalse(Virsh.domainExists("skiff-" + id));
        shell("config:property-set -p io.skiff.core.instances placementPolicy least-loaded");
        vms.await("pack no longer selected", () -> provider("PlacementPolicy", "pack").path("usedBy").isEmpty(),
                Duration.ofMinutes(1));
        for (String provider : List.of("linux-uefi", "pack", "tree")) {
            String out = shell("skiff:provider-remove " + provider);
            assertTrue(out.contains("Uninstalled feature skiff-example-"), out);
        }
        vms.await("the three providers are gone", () -> providerVersion("PlacementPolicy", "pack") == null
                && providerVersion("GuestProfile", "linux-uefi") == null
                && providerVersion("StorageBackend", "tree") == null, Duration.ofMinutes(2));
        assertFalse(shell("feature:list -i").contains("skiff-example-"), "uninstalled");
        // everything else keeps working
        String t = vms.create("vm-e", "vms", imageId);
        assertEquals("SUCCEEDED", vms.awaitTask(t, Duration.ofMinutes(4)).path("state").asText());
        assertEquals(componentsBefore, components(), "no Core or Cell component was re-activated");
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private static String createBody(String name, String profile, String storagePool) {
        return "{\"name\":\"" + name + "\",\"poolId\":\"vms\",\"cores\":1,\"memoryBytes\":268435456,"
                + "\"disks\":[{\"imageId\":\"" + imageId + "\""
                + (storagePool == null ? "" : ",\"storagePool\":\"" + storagePool + "\"") + "}],"
                + "\"profile\":\"" + profile + "\"}";
    }

    private static String domid(String instanceId) {
        return Virsh.run("domid", "skiff-" + instanceId).trim();
    }

    /** component → "activationId#count" */
    private static Map<String, String> components() {
        RestClient.Answer a = api.get("/components");
        assertEquals(200, a.status(), a.text());
        Map<String, String> out = new TreeMap<>();
        for (JsonNode c : a.body()) {
            out.put(c.path("component").asText(), c.path("activationId").asText() + "#" + c.path("count").asLong());
        }
        return out;
    }

    private static JsonNode provider(String spi, String name) {
        RestClient.Answer a = api.get("/providers");
        assertEquals(200, a.status(), a.text());
        for (JsonNode p : a.body()) {
            if (p.path("spi").asText().equals(spi) && p.path("name").asText().equals(name)) {
                return p;
            }
        }
        throw new AssertionError("no provider " + spi + " " + name + " in " + a.text());
    }

    private static String providerVersion(String spi, String name) {
        RestClient.Answer a = api.get("/providers");
        if (a.status() != 200) {
            return null;
        }
        for (JsonNode p : a.body()) {
            if (p.path("spi").asText().equals(spi) && p.path("name").asText().equals(name)) {
                return p.path("bundleVersion").asText();
            }
        }
        return null;
    }

    private static String shell(String command) {
        Commands.Result r = Commands.run(Duration.ofMinutes(3), "sshpass", "-p", PASSWORD, "ssh", "-p",
                Integer.toString(fixture.sshPort()), "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                "-o", "LogLevel=ERROR", "admin@127.0.0.1", command);
        return r.stdout() + r.stderr();
    }

    /** The bundle as the build made it. */
    private static Path builtJar(String module) throws IOException {
        Path target = Path.of("..", "bundles", module, "target");
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(p -> p.getFileName().toString().matches("skiff-" + module + "-.*\\.jar")
                            && !p.getFileName().toString().contains("sources"))
                    .findFirst().orElseThrow(() -> new AssertionError("no built jar in " + target)).toAbsolutePath();
        }
    }

    /** A copy of a bundle with another Bundle-Version: what a new build of the module would be. */
    static Path withBundleVersion(Path jar, String version) throws IOException {
        Path out = Path.of(System.getProperty("skiff.nodes", "target/nodes")).toAbsolutePath()
                .resolve(jar.getFileName().toString().replace(".jar", "-" + version + ".jar"));
        Files.createDirectories(out.getParent());
        try (InputStream raw = Files.newInputStream(jar); JarInputStream in = new JarInputStream(raw)) {
            Manifest manifest = new Manifest(in.getManifest());
            manifest.getMainAttributes().putValue("Bundle-Version", version);
            try (OutputStream file = Files.newOutputStream(out); JarOutputStream o = new JarOutputStream(file, manifest)) {
                for (JarEntry e = in.getNextJarEntry(); e != null; e = in.getNextJarEntry()) {
                    o.putNextEntry(new JarEntry(e.getName()));
                    in.transferTo(o);
                    o.closeEntry();
                }
            }
        }
        return out;
    }
}
