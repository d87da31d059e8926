package io.skiff.itests.vm;

import com.fasterxml.jackson.databind.JsonNode;
import io.skiff.itests.guest.LibvirtEnvironment;
import io.skiff.itests.guest.TestGuest;
import io.skiff.itests.guest.Virsh;
import io.skiff.itests.system.KarafNode;
import io.skiff.itests.system.RestClient;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One all-in-one node for the VM system tests: the built distribution on its own ports, driving the machine's
 * libvirtd (qemu:///system, TCG) with its own storage pool, the test guest imported as image {@code test-guest},
 * and its cell in compute pool {@code vms}. {@link #stop} deletes every instance, kills the node and removes the
 * pool with whatever domains still use it.
 */
final class VmTestNode {
    final KarafNode node;
    final RestClient api;
    final String imageId;

    private VmTestNode(KarafNode node, RestClient api, String imageId) {
        this.node = node;
        this.api = api;
        this.imageId = imageId;
    }

    static VmTestNode start(String nodeName, String cellName, String domain, int httpPort, int sshPort,
                            int transportPort, String adminPassword, String storagePool) throws Exception {
        LibvirtEnvironment.ensureUp();
        Path image = TestGuest.image();
        Path archive = Path.of(System.getProperty("skiff.distribution"));
        Path nodes = Path.of(System.getProperty("skiff.nodes", "target/nodes"));
        KarafNode node = KarafNode.unpack(archive, nodes, nodeName, httpPort);
        node.replaceInFile("etc/org.apache.karaf.shell.cfg", "sshPort = " + (httpPort + 1), "sshPort = " + sshPort);
        node.writeConfig("io.skiff.transport", Map.of("nodeName", cellName, "bindAddress", "127.0.0.1",
                "bindPort", Integer.toString(transportPort), "portRange", "0", "discovery", "tcp",
                "members", "127.0.0.1[" + transportPort + "]", "domain", domain));
        node.writeConfig("io.skiff.hypervisor.libvirt", Map.of("uri", "qemu:///system", "accel", "tcg"));
        node.writeConfig("io.skiff.storage.local", Map.of("uri", "qemu:///system", "poolName", storagePool));
        node.writeConfig("io.skiff.cell.instances", Map.of("storagePool", storagePool));
        node.writeConfig("io.skiff.core.instances", Map.of("stopTimeoutSeconds", "5"));
        node.start(Map.of("SKIFF_ADMIN_PASSWORD", adminPassword));
        try {
            RestClient api = new RestClient(node.httpPort, "admin", adminPassword);
            InstanceApi vms = new VmTestNode(node, api, null).vms();
            RestClient anonymous = new RestClient(node.httpPort, null, null);
            vms.await("health UP", () -> {
                RestClient.Answer h = anonymous.get("/health");
                return h.status() == 200 && h.text().contains("\"UP\"");
            }, Duration.ofSeconds(180));
            RestClient.Answer imported = api.post("/images", "{\"name\":\"test-guest\",\"path\":\"" + image + "\"}");
            assertEquals(201, imported.status(), imported.text());
            assertEquals(201, api.post("/pools", "{\"name\":\"vms\"}").status());
            vms.await("cell joins", () -> api.get("/cells/" + cellName).status() == 200, Duration.ofSeconds(60));
            assertEquals(200, api.post("/cells/" + cellName + "/add-to-pool", "{\"pool\":\"vms\"}").status());
            return new VmTestNode(node, api, imported.body().path("id").asText());
        } catch (Exception | AssertionError e) {
            node.kill(); // the caller's @AfterAll has no fixture to stop
            throw e;
        }
    }

    /** The instance helpers, with the node's log tail in every failure message. */
    InstanceApi vms() {
        return new InstanceApi(api, () -> "karaf.log tail:\n" + InstanceApi.tail(node.log()));
    }

    /** Deletes every instance (waiting up to {@code deleteTimeout}), then kills the node and removes the pool. */
    static void stop(VmTestNode fixture, String storagePool, Duration deleteTimeout) throws Exception {
        try {
            if (fixture != null) {
                RestClient api = fixture.api;
                RestClient.Answer list = api.get("/instances");
                if (list.status() == 200) {
                    for (JsonNode i : list.body()) {
                        api.delete("/instances/" + i.path("id").asText() + "?force=true");
                    }
                    fixture.vms().await("instances deleted", () -> api.get("/instances").body() == null
                            || api.get("/instances").body().isEmpty(), deleteTimeout);
                }
            }
        } finally {
            if (fixture != null) {
                fixture.node.kill();
            }
            Virsh.destroyDomainsOfPoolAndPool(storagePool);
        }
    }
}
