package io.skiff.cell.internal;

import io.skiff.api.transport.ClusterMember;
import io.skiff.api.transport.ClusterTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the instances' VNC servers listen. The {@code consoleListen} setting wins when it is set; empty (the default)
 * means the address the cell's cluster transport is bound to: loopback on an all-in-one host, the host's cluster
 * address when it has joined a domain, which is the address the Core's console proxy reaches the cell at anyway.
 */
final class ConsoleListenAddress {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleListenAddress.class);
    static final String LOOPBACK = "127.0.0.1";

    private ConsoleListenAddress() {
    }

    /** @return the configured address, else the transport's bind address, else loopback */
    static String of(String configured, ClusterTransport transport) {
        if (configured != null && !configured.isBlank()) {
            return configured.strip();
        }
        String bound = transport.members().stream().filter(ClusterMember::local).map(ClusterMember::address)
                .map(ConsoleListenAddress::host).filter(h -> !h.isEmpty()).findFirst().orElse("");
        if (bound.isEmpty() || bound.equals("0.0.0.0") || bound.equals("::")) {
            LOG.warn("cell {}: the cluster transport's bind address is {}; the consoles listen on {} (set "
                    + "consoleListen in etc/io.skiff.cell.instances.cfg to the address the Core reaches this host at)",
                    transport.localNode(), bound.isEmpty() ? "not known" : bound, LOOPBACK);
            return LOOPBACK;
        }
        return bound;
    }

    /** @return the host of {@code host:port} (an IPv6 host has colons of its own) */
    private static String host(String address) {
        int colon = address.lastIndexOf(':');
        return colon < 0 ? address : address.substring(0, colon);
    }
}
