package io.skiff.itests.multihost;

import com.fasterxml.jackson.databind.JsonNode;
import io.skiff.itests.system.KarafNode;
import io.skiff.itests.system.RestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Skiff on two simulated hosts of the multi-host test bed: the Core (all-in-one) on host 1, a Cell-only node on
 * host 2, each a separate Karaf inside its host's namespaces with the host's own libvirtd, the cluster transport on
 * the bed's addresses (not loopback). Both cells join from scratch, each sees only its own libvirtd, and pulling host
 * 2's cable marks its cell offline until the cable is back.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ManyHostsClusterIT {
    private static final String PASSWORD = "many-hosts-secret";
    private static TestBed bed;
    private static KarafNode core;
    private static KarafNode cell;
    private static int httpPort;
    private static RestClient api;

    @BeforeAll
    static void start() throws Exception {
        Path nodes = Path.of(System.getProperty("skiff.nodes", "target/nodes"));
        bed = TestBed.up(nodes.resolve("bed-many-hosts"), 2, false);
        Path archive = Path.of(System.getProperty("skiff.distribution"));
        String members = BedNodes.members(bed, 2);
        core = BedNodes.node(bed, archive, nodes, "mh-host1", 1, members, "many-hosts");
        cell = BedNodes.node(bed, archive, nodes, "mh-host2", 2, members, "many-hosts");
        cell.replaceInFile("etc/org.apache.karaf.features.cfg", "skiff-allinone", "skiff-cell");

        core.start(Map.of("SKIFF_ADMIN_PASSWORD", PASSWORD), bed.launcher(1));
        httpPort = bed.forward(1, 8181);
        api = new RestClient(httpPort, "admin", PASSWORD);
        BedNodes.awaitCoreUp(core, httpPort, Duration.ofMinutes(3));
        // every node of a domain needs the cluster key the first node generated
        KarafNode.copy(core.home.resolve("etc/skiff-cluster.key"), cell.home.resolve("etc/skiff-cluster.key"));
        cell.start(Map.of(), bed.launcher(2));
    }

    @AfterAll
    static void stop() throws Exception {
        BedNodes.stop(bed, cell, core);
    }

    @Test
    @Order(1)
    void bothCellsJoinOverTheBedNetwork() {
        long started = System.nanoTime();
        JsonNode h1 = BedNodes.awaitCell(api, "host1", c -> c.path("status").asText().equals("ONLINE"),
                Duration.ofMinutes(2));
        JsonNode h2 = BedNodes.awaitCell(api, "host2", c -> c.path("status").asText().equals("ONLINE"),
                Duration.ofMinutes(3));
        System.out.printf("[many-hosts] both cells ONLINE %.1f s after the Core was UP%n",
                (System.nanoTime() - started) / 1e9);
        assertTrue(h1.path("resources").path("cpuCount").asInt() > 0, h1.toString());
        assertTrue(h2.path("resources").path("cpuCount").asInt() > 0, h2.toString());
        // each host's libvirtd is its own: the bed's hosts know no domain of the machine's libvirt
        assertTrue(bed.domains(1).isEmpty(), "host 1's libvirtd: " + bed.domains(1));
        assertTrue(bed.domains(2).isEmpty(), "host 2's libvirtd: " + bed.domains(2));
        assertEquals("skiff-h2", bed.exec(2, "hostname").orThrow().stdout().strip());
    }

    @Test
    @Order(2)
    void aPulledCableMarksTheCellOfflineUntilItIsBack() {
        BedNodes.awaitCell(api, "host2", c -> c.path("status").asText().equals("ONLINE"), Duration.ofMinutes(1));
        long pulled = System.nanoTime();
        bed.link(2, false);
        try {
            BedNodes.awaitCell(api, "host2", c -> c.path("status").asText().equals("OFFLINE"),
                    Duration.ofSeconds(60));
            System.out.printf("[many-hosts] host 2 OFFLINE %.1f s after its cable was pulled%n",
                    (System.nanoTime() - pulled) / 1e9);
        } finally {
            bed.link(2, true);
        }
        long plugged = System.nanoTime();
        BedNodes.awaitCell(api, "host2", c -> c.path("status").asText().equals("ONLINE"), Duration.ofMinutes(2));
        System.out.printf("[many-hosts] host 2 ONLINE again %.1f s after its cable was plugged in%n",
                (System.nanoTime() - plugged) / 1e9);
    }
}
