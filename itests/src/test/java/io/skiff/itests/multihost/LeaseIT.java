package io.skiff.itests.multihost;

import com.fasterxml.jackson.databind.JsonNode;
import io.skiff.itests.guest.Commands;
import io.skiff.itests.guest.TestGuest;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Storage leases (issue 16, the second guard against two copies): on a bed made with {@code --leases} (each host's
 * libvirtd with virtlockd, the lockspace a directory every host sees) both cells of an {@link NfsCluster} have
 * {@code leaseDirectory} set, so each domain holds its instance's lease while it runs. The witness is {@code virsh}
 * in the hosts: a copy of the running instance's definition, defined and started on the other host, is refused by
 * libvirt itself while the instance runs; a live migration still works (libvirt releases the lease on the source and
 * takes it on the target), and then the copy is refused on the host the instance left. Deleting the instance removes
 * its lease file.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LeaseIT {
    private static final String PASSWORD = "lease-secret";
    private static final String COMPUTE_POOL = "leases";
    private static final Pattern SERIAL_LOG = Pattern.compile("<serial type='file'>\\s*<source path='([^']+)'/>");
    /** Where the bed, the Karaf homes and the test's copies of the definition go. */
    private static Path nodes;
    private static NfsCluster cluster;
    private static String instanceId;

    @BeforeAll
    static void start() throws Exception {
        nodes = Path.of(System.getProperty("skiff.nodes", "target/nodes"));
        cluster = NfsCluster.start(nodes, Path.of(System.getProperty("skiff.distribution")), "lease", "lease",
                PASSWORD, true);
        Path image = TestGuest.image();
        RestClient api = cluster.api;
        RestClient.Answer imported = api.post("/images", "{\"name\":\"test-guest\",\"path\":\"" + image + "\"}");
        assertEquals(201, imported.status(), imported.text());
        String imageId = imported.body().path("id").asText();
        assertEquals(201, api.post("/pools", "{\"name\":\"" + COMPUTE_POOL + "\"}").status());
        vms().await("cells host1 and host2 ONLINE", () -> online("host1") && online("host2"), Duration.ofMinutes(3));
        // only host 1's cell is in the pool at first: the instance is made there
        assertEquals(200, api.post("/cells/host1/add-to-pool", "{\"pool\":\"" + COMPUTE_POOL + "\"}").status());
        JsonNode task = vms().awaitTask(vms().create("lease-a", COMPUTE_POOL, imageId), Duration.ofMinutes(3));
        assertEquals("SUCCEEDED", task.path("state").asText(), task.toString());
        instanceId = vms().instance("lease-a").path("id").asText();
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void aCopyOnTheOtherHostIsRefusedByLibvirtWhileTheInstanceRuns() throws Exception {
        JsonNode a = vms().instance("lease-a");
        assertEquals("host1", a.path("cellId").asText(), a.toString());
        assertEquals("RUNNING", a.path("state").asText(), a.toString());
        String domain = "skiff-" + instanceId;
        String xml = cluster.bed.virsh(1, "dumpxml", domain).orThrow().stdout();
        Path leaseDir = Path.of(cluster.bed.leaseDirectory());
        assertTrue(xml.contains("<lockspace>" + leaseDir.getFileName() + "</lockspace>")
                && xml.contains("<key>" + instanceId + "</key>")
                && xml.contains("<target path='" + leaseDir.getParent() + "'/>"), xml);
        assertTrue(Files.isRegularFile(leaseDir.resolve(instanceId)), "the lease file is there before the start");

        assertRefusedOn(2, domain, copyOf(1, domain, 2));
        assertEquals("running", state(1, domain), "the instance runs on");
    }

    @Test
    @Order(2)
    void aLiveMigrationTakesTheLeaseAlongAndTheCopyIsRefusedWhereItRanBefore() throws Exception {
        RestClient.Answer added = cluster.api.post("/cells/host2/add-to-pool", "{\"pool\":\"" + COMPUTE_POOL + "\"}");
        assertEquals(200, added.status(), added.text());
        String domain = "skiff-" + instanceId;
        JsonNode task = vms().succeeded(cluster.api.post("/instances/lease-a/migrate", "{\"cell\":\"host2\"}"));
        assertTrue(task.path("steps").toString().contains("migrate.move"), "moved live: " + task);
        JsonNode a = vms().instance("lease-a");
        assertEquals("host2", a.path("cellId").asText(), a.toString());
        assertEquals("RUNNING", a.path("state").asText(), a.toString());
        assertEquals("running", state(2, domain));
        String xml = cluster.bed.virsh(2, "dumpxml", domain).orThrow().stdout();
        assertTrue(xml.contains("<key>" + instanceId + "</key>"), "the lease went along: " + xml);

        // host 2's definition (host 1 released its copy, seed included) started on host 1
        assertRefusedOn(1, domain, copyOf(2, domain, 1));
        assertEquals("running", state(2, domain), "the instance runs on");
    }

    @Test
    @Order(3)
    void deletingTheInstanceRemovesItsLeaseFile() throws Exception {
        vms().succeeded(cluster.api.delete("/instances/lease-a?force=true"));
        assertFalse(Files.exists(Path.of(cluster.bed.leaseDirectory(), instanceId)), "the lease file is gone");
    }

    /**
     * @return a file with host {@code from}'s definition of the domain made fit for host {@code to}: its VNC
     *     server on that host's address, its serial console in a file of the test's own
     */
    private static String copyOf(int from, String domain, int to) throws Exception {
        String xml = cluster.bed.virsh(from, "dumpxml", "--migratable", domain).orThrow().stdout()
                .replace(cluster.bed.hostAddress(from), cluster.bed.hostAddress(to));
        Matcher serial = SERIAL_LOG.matcher(xml);
        if (serial.find()) {
            xml = xml.replace(serial.group(1), nodes.toAbsolutePath().resolve("lease-copy.log").toString());
        }
        Path file = nodes.toAbsolutePath().resolve("lease-copy-" + to + ".xml");
        Files.writeString(file, xml);
        return file.toString();
    }

    /** Defines the copy on host {@code n}, has its start refused there for the lease, and undefines it again. */
    private static void assertRefusedOn(int n, String domain, String copy) {
        cluster.bed.virsh(n, "define", copy).orThrow();
        try {
            Commands.Result start = cluster.bed.virsh(n, "start", domain);
            assertFalse(start.ok(), "a second copy started on host " + n + ": " + start);
            assertTrue(start.stderr().contains("Lockspace resource '" + instanceId + "' is locked"), start.toString());
            assertEquals("shut off", state(n, domain));
        } finally {
            cluster.bed.virsh(n, "undefine", domain).orThrow();
        }
    }

    private static String state(int n, String domain) {
        return cluster.bed.virsh(n, "domstate", domain).orThrow().stdout().strip();
    }

    private static boolean online(String cell) {
        RestClient.Answer c = cluster.api.get("/cells/" + cell);
        return c.status() == 200 && c.body().path("status").asText().equals("ONLINE");
    }

    private static InstanceApi vms() {
        return new InstanceApi(cluster.api, () -> "--- core karaf.log tail:\n"
                + InstanceApi.tail(cluster.core.log())
                + "\n--- cell karaf.log tail:\n" + InstanceApi.tail(cluster.cell.log()));
    }
}
