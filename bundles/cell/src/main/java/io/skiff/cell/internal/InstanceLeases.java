package io.skiff.cell.internal;

import io.skiff.api.cell.CellAddress;
import io.skiff.api.spi.DhcpLease;
import io.skiff.api.spi.DhcpNetwork;
import io.skiff.api.spi.DhcpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * The static DHCP leases of the cell's instances (each instance with a MAC and an address), handed to the configured
 * {@link DhcpServer} after every change and with every report. Without DHCP in the cell's settings, or while no such
 * server is registered, nothing is served.
 */
final class InstanceLeases {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceLeases.class);

    private final CellInstanceStore files;
    private final CellProviders providers;
    /** {@code null}: this cell serves no DHCP. */
    private final DhcpNetwork network;
    private final String node;
    /** Serialises refreshes without holding the instance lock (which defines hold). */
    private final Object refreshLock = new Object();
    private boolean missingLogged;

    /** @param network where to serve, or {@code null} when the cell serves no DHCP */
    InstanceLeases(CellInstanceStore files, CellProviders providers, DhcpNetwork network, String node) {
        this.files = files;
        this.providers = providers;
        this.network = network;
        this.node = node;
    }

    /** @return the leases of the instances that have a MAC and an address, in the files' order */
    List<DhcpLease> leases() throws java.io.IOException {
        List<DhcpLease> leases = new ArrayList<>();
        for (CellInstanceFile f : files.all()) {
            CellAddress a = f.spec().address();
            if (f.mac() != null && a != null) {
                leases.add(new DhcpLease(f.mac(), a.address(), a.prefixLength(), a.hostname(), a.addressPoolId(),
                        a.gateway(), a.dnsServers(), a.domain()));
            }
        }
        return leases;
    }

    /** Hands the current leases to the DHCP server (which changes something only when they changed). */
    void refresh() {
        if (network == null) {
            return;
        }
        synchronized (refreshLock) {
            DhcpServer server = providers.dhcpIfPresent();
            if (server == null) {
                if (!missingLogged) {
                    missingLogged = true;
                    LOG.info("cell {}: DHCP server '{}' is not registered (yet); leases are served once it is",
                            node, providers.names().dhcp());
                }
                return;
            }
            missingLogged = false;
            try {
                server.serve(network, leases());
            } catch (Exception e) {
                LOG.warn("cell {}: DHCP leases not updated: {}", node, e.toString());
            }
        }
    }

    /** Stops serving (the cell stops). */
    void close() {
        if (network == null) {
            return;
        }
        synchronized (refreshLock) {
            DhcpServer server = providers.dhcpIfPresent();
            if (server != null) {
                server.close(network.bridge());
            }
        }
    }
}
