package io.skiff.itests.multihost;

import com.fasterxml.jackson.databind.JsonNode;
import io.skiff.itests.guest.TestGuest;
import io.skiff.itests.guest.Virsh;
import io.skiff.itests.system.RestClient;
import io.skiff.itests.vm.HeadlessChromium;
import io.skiff.itests.vm.InstanceApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Failover pools on a 3-host test bed with NFS (the Core on host 1, Cell-only nodes on hosts 2 and 3), each host's
 * {@code virsh} as witness. A pool without failover leaves a lost cell's instance alone (shown UNKNOWN, not STOPPED);
 * a host that dies (kill -9 of its Karaf, libvirtd and QEMU) has its failover-pool instance running on another cell
 * within 15 s, with its record's address and the data on its disk; a host that is cut off fences its copy before the
 * Core starts it elsewhere, so a sampler every 200 ms never sees it running on two hosts, and after the cable is back
 * exactly one copy remains, the one the Core's record names; a cell cut off long enough to fence, but back before the
 * Core moved its instance, has it started where it is. The hosts' libvirtd hold each domain's storage lease
 * (virtlockd, the second guard), as a failover pool should have. The portal's dashboard shows the lost cell and where
 * its instance went. One bed for the class, small guests.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FailoverIT {
    private static final String PASSWORD = "failover-secret";
    private static final String HA = "ha";
    private static final String PLAIN = "plain";
    private static final String MARKER = "failover-marker";
    /** Sets {@code s} to the guest's disk size in sectors. */
    private static final String LAST_SECTOR = "s=$(cat /sys/block/vda/size 2>/dev/null"
            + " || awk '$4==\"vda\"{print $3*2}' /proc/partitions); ";
    private static NfsCluster cluster;
    private static TestBed bed;
    private static RestClient api;
    private static String imageId;

    @BeforeAll
    static void start() throws Exception {
        HeadlessChromium.requireInstalled();
        Path image = TestGuest.image();
        Path nodes = Path.of(System.getProperty("skiff.nodes", "target/nodes"));
        cluster = NfsCluster.start(nodes, Path.of(System.getProperty("skiff.distribution")), "failover", "fo",
                PASSWORD, 3, true);
        bed = cluster.bed;
        api = cluster.api;
        RestClient.Answer imported = api.post("/images", "{\"name\":\"test-guest\",\"path\":\"" + image + "\"}");
        assertEquals(201, imported.status(), imported.text());
        imageId = imported.body().path("id").asText();
        for (String cell : List.of("host1", "host2", "host3")) {
            BedNodes.awaitCell(api, cell, c -> c.path("status").asText().equals("ONLINE"), Duration.ofMinutes(3));
        }
        assertEquals(201, api.post("/pools", "{\"name\":\"" + HA + "\"}").status());
        assertEquals(201, api.post("/pools", "{\"name\":\"" + PLAIN + "\"}").status());

        // failover needs a shared storage pool of the Core attached to the compute pool
        RestClient.Answer refused = api.put("/pools/" + HA, "{\"failover\":true}");
        assertEquals(409, refused.status(), refused.text());
        assertEquals("failover", refused.body().path("error").path("field").asText(), refused.text());
        RestClient.Answer created = api.post("/storage-pools", "{\"name\":\"ha-nfs\",\"type\":\"nfs\",\"server\":\""
                + bed.nfsAddress() + "\",\"export\":\"" + bed.nfsExport() + "\",\"mode\":\"libnfs\"}");
        assertEquals(201, created.status(), created.text());
        for (String pool : List.of(HA, PLAIN)) {
            RestClient.Answer attached = api.post("/storage-pools/ha-nfs/attach", "{\"computePool\":\"" + pool
                    + "\"}");
            assertEquals(200, attached.status(), attached.text());
        }
        RestClient.Answer on = api.put("/pools/" + HA, "{\"failover\":true}");
        assertEquals(200, on.status(), on.text());
        assertTrue(api.get("/pools/" + HA).body().path("failover").asBoolean());
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void aPoolWithoutFailoverLeavesALostCellsInstanceAlone() throws Exception {
        addToPool("host3", PLAIN);
        JsonNode task = vms().awaitTask(vms().create("plain-1", PLAIN, imageId), Duration.ofMinutes(3));
        assertEquals("SUCCEEDED", task.path("state").asText(), task.toString());
        assertEquals("host3", vms().instance("plain-1").path("cellId").asText());

        bed.link(3, false);
        try {
            JsonNode lost = BedNodes.awaitCell(api, "host3", c -> c.path("status").asText().equals("OFFLINE"),
                    Duration.ofSeconds(30));
            assertFalse(lost.path("lostAt").isNull(), "GET /cells says when it was lost: " + lost);
            vms().await("plain-1 UNKNOWN", () -> vms().instance("plain-1").path("state").asText().equals("UNKNOWN"),
                    Duration.ofSeconds(10));
            // well past the isolation time and the margin: nothing moves, nothing is fenced
            await().during(Duration.ofSeconds(15)).atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(500)).until(() -> {
                        JsonNode i = vms().instance("plain-1");
                        return i.path("cellId").asText().equals("host3")
                                && !i.path("state").asText().equals("STOPPED");
                    });
            assertTrue(bed.running(3).contains(domainOf("plain-1")), "host 3 still runs it");
        } finally {
            bed.link(3, true);
        }
        BedNodes.awaitCell(api, "host3", c -> c.path("status").asText().equals("ONLINE"), Duration.ofSeconds(60));
        vms().await("plain-1 RUNNING again", () -> vms().instance("plain-1").path("state").asText()
                .equals("RUNNING"), Duration.ofSeconds(30));
        vms().succeeded(api.delete("/instances/plain-1?force=true"));
        assertEquals(200, api.post("/cells/host3/remove-from-pool", "{}").status());
    }

    @Test
    @Order(2)
    void aDeadHostsInstanceRunsOnAnotherCellWithinFifteenSecondsWithItsDisk() throws Exception {
        addToPool("host2", HA);
        JsonNode task = vms().awaitTask(vms().create("ha-1", HA, imageId), Duration.ofMinutes(3));
        assertEquals("SUCCEEDED", task.path("state").asText(), task.toString());
        JsonNode before = vms().instance("ha-1");
        assertEquals("host2", before.path("cellId").asText(), before.toString());
        addToPool("host3", HA);
        String domain = domainOf("ha-1");
        vms().await(TestGuest.READY + " on ha-1", () -> api.get("/instances/ha-1/console-log").text()
                .contains(TestGuest.READY), Duration.ofMinutes(3));
        // a marker in the disk's last sectors (past the guest's file system), flushed (fsync: the disk has a write
        // cache, cache='none', and what a guest has not flushed may be lost with its host, as on real hardware)
        Virsh.guestExec(virshOn(2), domain, "/bin/sh", "-c", LAST_SECTOR + "printf " + MARKER
                + " | dd of=/dev/vda bs=512 seek=$((s-8)) count=1 conv=sync,fsync oflag=direct");

        long t0 = System.nanoTime();
        bed.crash(2);
        vms().await("ha-1 running on host 3", () -> bed.running(3).contains(domain), Duration.ofSeconds(60));
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("[failover] host 2 killed → ha-1 running on host 3: %.1f s%n", seconds);
        assertTrue(seconds < 15, "recovery took " + seconds + " s");

        JsonNode after = vms().instance("ha-1");
        assertEquals("host3", after.path("cellId").asText(), after.toString());
        assertEquals(before.path("address").asText(), after.path("address").asText(), "the same address");
        String[] lastRead = {"nothing yet"};
        try {
            vms().await("the agent of ha-1 on host 3", () -> {
                try {
                    lastRead[0] = Virsh.guestExec(virshOn(3), domain, "/bin/sh", "-c", LAST_SECTOR
                            + "dd if=/dev/vda bs=512 skip=$((s-8)) count=1 iflag=direct 2>/dev/null");
                    return lastRead[0].contains(MARKER);
                } catch (RuntimeException e) {
                    lastRead[0] = e.toString();
                    return false;
                }
            }, Duration.ofMinutes(2));
        } catch (AssertionError e) {
            throw new AssertionError("last read: " + lastRead[0] + "\n--- console of ha-1:\n"
                    + InstanceApi.tail(api.get("/instances/ha-1/console-log").text()), e);
        }
        JsonNode cell = api.get("/cells/host2").body();
        assertEquals("OFFLINE", cell.path("status").asText(), cell.toString());
        assertFalse(cell.path("lostAt").isNull(), cell.toString());
        JsonNode tasks = api.get("/tasks").body();
        assertTrue(tasks.toString().contains("instance.failover"), tasks.toString());
        dashboardShowsTheLostCellAndWhereItsInstanceWent();
    }

    /** The portal's dashboard, in headless Chromium: host 2 lost, ha-1 failed over to host 3 and shown there. */
    private static void dashboardShowsTheLostCellAndWhereItsInstanceWent() throws Exception {
        try (HeadlessChromium chromium = HeadlessChromium.start("1400,1000")) {
            WebDriver browser = chromium.browser;
            browser.get("http://127.0.0.1:" + cluster.httpPort + "/portal/#/signin");
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60), Duration.ofMillis(250));
            wait.ignoring(StaleElementReferenceException.class);
            wait.until(d -> !d.findElements(By.id("signin-form")).isEmpty());
            browser.findElement(By.id("signin-user")).sendKeys("admin");
            browser.findElement(By.id("signin-password")).sendKeys(PASSWORD);
            browser.findElement(By.id("signin-submit")).click();
            String moved = wait.until(d -> {
                List<WebElement> e = d.findElements(By.cssSelector("[data-lost=host2] [data-moved=ha-1]"));
                return e.isEmpty() ? null : e.get(0).getText();
            });
            assertTrue(moved.contains("host3"), moved);
            String lost = browser.findElement(By.cssSelector("[data-lost=host2]")).getText();
            assertTrue(lost.contains("lost at"), lost);
            assertEquals(1, browser.findElements(By.cssSelector("[data-cell=host3] [data-instance=ha-1]")).size(),
                    "ha-1 in host 3's branch of the tree");
            chromium.screenshot("failover-dashboard");
        }
    }

    @Test
    @Order(3)
    void aCutOffHostNeverRunsACopyBesideTheNewOneAndKeepsNoneAfterwards() throws Exception {
        String domain = domainOf("ha-1");
        assertEquals("host3", vms().instance("ha-1").path("cellId").asText());
        addToPool("host1", HA); // the Core's own cell: where ha-1 goes when host 3 is cut off
        Set<String> twice = ConcurrentHashMap.newKeySet();
        List<String> samples = new ArrayList<>();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(() -> {
            List<Integer> on = new ArrayList<>();
            for (int host : new int[] {1, 3}) {
                if (bed.running(host).contains(domain)) {
                    on.add(host);
                }
            }
            synchronized (samples) {
                samples.add(on.toString());
            }
            if (on.size() > 1) {
                twice.add(System.currentTimeMillis() + " " + on);
            }
        }, 0, 200, TimeUnit.MILLISECONDS);
        try {
            bed.link(3, false);
            vms().await("ha-1 running on host 1", () -> bed.running(1).contains(domain), Duration.ofSeconds(60));
            assertEquals("host1", vms().instance("ha-1").path("cellId").asText());
            bed.link(3, true);
            BedNodes.awaitCell(api, "host3", c -> c.path("status").asText().equals("ONLINE"),
                    Duration.ofSeconds(60));
            vms().await("host 3 keeps no copy", () -> !bed.domains(3).contains(domain), Duration.ofSeconds(60));
        } finally {
            sampler.shutdownNow();
            bed.link(3, true);
        }
        synchronized (samples) {
            System.out.printf("[failover] partition: %d samples, hosts running ha-1 over time: %s%n", samples.size(),
                    samples.stream().distinct().toList());
        }
        assertEquals(Set.of(), twice, "never two copies running");
        assertTrue(bed.running(1).contains(domain), "the copy the record names runs");
        assertEquals("host1", vms().instance("ha-1").path("cellId").asText());
        assertFalse(bed.domains(3).contains(domain), "host 3: " + bed.domains(3));
    }

    @Test
    @Order(4)
    void aCellBackAfterItFencedButBeforeTheFailoverHasItsInstanceStartedWhereItIs() throws Exception {
        String domain = domainOf("ha-1");
        vms().succeeded(api.post("/instances/ha-1/migrate", "{\"cell\":\"host3\"}"));
        assertTrue(bed.running(3).contains(domain), "moved to host 3: " + bed.running(3));
        // the Core would fail over a minute after the loss: the cell is back long before, with ha-1 fenced
        cluster.core.writeConfigAndAwaitLog("io.skiff.core.instances", Map.of("failoverMarginSeconds", "60"),
                "instance settings updated", Duration.ofSeconds(30));
        try {
            bed.link(3, false);
            vms().await("host 3 fences ha-1", () -> !bed.running(3).contains(domain), Duration.ofSeconds(30));
        } finally {
            bed.link(3, true);
        }
        BedNodes.awaitCell(api, "host3", c -> c.path("status").asText().equals("ONLINE"), Duration.ofSeconds(60));
        vms().await("ha-1 running on host 3 again", () -> bed.running(3).contains(domain), Duration.ofSeconds(60));
        vms().await("the start task done", () -> vms().instance("ha-1").path("state").asText().equals("RUNNING"),
                Duration.ofSeconds(30));
        JsonNode after = vms().instance("ha-1");
        assertEquals("host3", after.path("cellId").asText(), after.toString());
        assertFalse(bed.running(1).contains(domain), "one copy: " + bed.running(1));
        JsonNode events = api.get("/instances/ha-1/events").body();
        assertTrue(events.toString().contains("fenced"), events.toString());
    }

    private static void addToPool(String cell, String pool) {
        RestClient.Answer added = api.post("/cells/" + cell + "/add-to-pool", "{\"pool\":\"" + pool + "\"}");
        assertEquals(200, added.status(), added.text());
    }

    private static String domainOf(String instance) {
        return "skiff-" + vms().instance(instance).path("id").asText();
    }

    private static Function<String[], String> virshOn(int host) {
        return args -> bed.virsh(host, args).orThrow().stdout();
    }

    private static InstanceApi vms() {
        return new InstanceApi(api, () -> "--- core karaf.log tail:\n" + InstanceApi.tail(cluster.core.log())
                + "\n--- host 3 karaf.log tail:\n" + InstanceApi.tail(cluster.cells.get(1).log()));
    }
}
