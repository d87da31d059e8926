package io.skiff.itests.multihost;

import com.fasterxml.jackson.databind.JsonNode;
import io.skiff.itests.system.KarafNode;
import io.skiff.itests.system.RestClient;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/**
 * Skiff nodes for the hosts of a {@link TestBed}: each unpacked with its cluster transport on its host's address
 * (node name {@code host<n>}, TCP discovery of every host) and libvirt under TCG, and all killed before the bed is
 * taken down. Each host has its own network namespace, so every node keeps Karaf's default ports.
 */
public final class BedNodes {
    static final int TRANSPORT_PORT = 7800;
    /** The test guest's heartbeat line on its serial console, every 10 s, with its uptime. */
    private static final Pattern HEARTBEAT = Pattern.compile("SKIFF-GUEST-HEARTBEAT uptime=([0-9.]+)");

    private BedNodes() {
    }

    /** @return the transport's member list: hosts 1 to {@code hosts} of the bed */
    public static String members(TestBed bed, int hosts) {
        StringBuilder members = new StringBuilder();
        for (int h = 1; h <= hosts; h++) {
            members.append(h > 1 ? "," : "").append(bed.hostAddress(h)).append('[').append(TRANSPORT_PORT).append(']');
        }
        return members.toString();
    }

    /** Unpacks the node that will run in host {@code host}, in the cluster domain {@code domain}. */
    public static KarafNode node(TestBed bed, Path archive, Path nodes, String name, int host, String members,
                          String domain) throws Exception {
        KarafNode node = KarafNode.unpack(archive, nodes, name, 8181);
        node.writeConfig("io.skiff.transport", Map.of("nodeName", "host" + host, "bindAddress",
                bed.hostAddress(host), "bindPort", Integer.toString(TRANSPORT_PORT), "portRange", "0", "discovery",
                "tcp", "members", members, "domain", domain));
        node.writeConfig("io.skiff.hypervisor.libvirt", Map.of("uri", "qemu:///system", "accel", "tcg"));
        return node;
    }

    /**
     * The cell settings that let instances move between the bed's hosts: VNC servers and the hypervisor's migration
     * listener on the host's address, migration TLS certificates (from the Core's cluster CA) where the host's QEMU
     * reads them, plus {@code extra}.
     */
    public static Map<String, String> movableCell(TestBed bed, int host, Map<String, String> extra) {
        Map<String, String> settings = new java.util.LinkedHashMap<>(extra);
        settings.put("consoleListen", bed.hostAddress(host));
        settings.put("migrationUri", "qemu+tcp://" + bed.hostAddress(host) + "/system");
        settings.put("migrationTlsDir", bed.migrationTlsDir());
        return settings;
    }

    /** Kills the nodes (those not {@code null}), then takes the bed down (also when a kill failed). */
    public static void stop(TestBed bed, KarafNode... nodes) throws Exception {
        try {
            for (KarafNode n : nodes) {
                if (n != null) {
                    n.kill();
                }
            }
        } finally {
            if (bed != null) {
                bed.close();
            }
        }
    }

    /** Waits until the Core answers {@code /health} UP on {@code httpPort}; fails at once when it exited. */
    public static void awaitCoreUp(KarafNode core, int httpPort, Duration timeout) {
        RestClient anonymous = new RestClient(httpPort, null, null);
        await("Core UP").atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(500))
                .pollInSameThread().until(() -> {
                    if (!core.alive()) {
                        throw new AssertionError("the Core exited; karaf.log:\n" + core.log());
                    }
                    RestClient.Answer h = anonymous.get("/health");
                    return h.status() == 200 && h.text().contains("\"UP\"");
                });
    }

    /** @return the cell as {@code GET /cells/{name}} answers it, once {@code condition} holds */
    public static JsonNode awaitCell(RestClient api, String name, Predicate<JsonNode> condition, Duration timeout) {
        JsonNode[] last = new JsonNode[1];
        await("cell " + name).atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(250))
                .pollInSameThread().until(() -> {
                    RestClient.Answer a = api.get("/cells/" + name);
                    last[0] = a.status() == 200 ? a.body() : null;
                    return last[0] != null && condition.test(last[0]);
                });
        return last[0];
    }

    /**
     * @return the uptime of the first heartbeat line on the instance's serial console above {@code after}: a guest
     *     that moved without a reboot goes on counting
     */
    public static double awaitHeartbeat(RestClient api, String instance, double after) {
        double[] seen = new double[1];
        await("a heartbeat of " + instance + " after uptime " + after).atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofSeconds(1)).until(() -> {
                    Matcher m = HEARTBEAT.matcher(api.get("/instances/" + instance + "/console-log").text());
                    while (m.find()) {
                        double uptime = Double.parseDouble(m.group(1));
                        if (uptime > after) {
                            seen[0] = uptime;
                            return true;
                        }
                    }
                    return false;
                });
        return seen[0];
    }
}
