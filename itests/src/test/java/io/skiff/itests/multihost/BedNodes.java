package io.skiff.itests.multihost;

import io.skiff.itests.system.KarafNode;

import java.nio.file.Path;
import java.util.Map;

/**
 * Skiff nodes for the hosts of a {@link TestBed}: each unpacked with its cluster transport on its host's address
 * (node name {@code host<n>}, TCP discovery of every host) and libvirt under TCG, and all killed before the bed is
 * taken down. Each host has its own network namespace, so every node keeps Karaf's default ports.
 */
final class BedNodes {
    static final int TRANSPORT_PORT = 7800;

    private BedNodes() {
    }

    /** @return the transport's member list: hosts 1 to {@code hosts} of the bed */
    static String members(TestBed bed, int hosts) {
        StringBuilder members = new StringBuilder();
        for (int h = 1; h <= hosts; h++) {
            members.append(h > 1 ? "," : "").append(bed.hostAddress(h)).append('[').append(TRANSPORT_PORT).append(']');
        }
        return members.toString();
    }

    /** Unpacks the node that will run in host {@code host}, in the cluster domain {@code domain}. */
    static KarafNode node(TestBed bed, Path archive, Path nodes, String name, int host, String members,
                          String domain) throws Exception {
        KarafNode node = KarafNode.unpack(archive, nodes, name, 8181);
        node.writeConfig("io.skiff.transport", Map.of("nodeName", "host" + host, "bindAddress",
                bed.hostAddress(host), "bindPort", Integer.toString(TRANSPORT_PORT), "portRange", "0", "discovery",
                "tcp", "members", members, "domain", domain));
        node.writeConfig("io.skiff.hypervisor.libvirt", Map.of("uri", "qemu:///system", "accel", "tcg"));
        return node;
    }

    /** Kills the nodes (those not {@code null}), then takes the bed down (also when a kill failed). */
    static void stop(TestBed bed, KarafNode... nodes) throws Exception {
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
}
