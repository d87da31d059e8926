package io.skiff.cell.internal;

import io.skiff.api.spi.DhcpLease;
import io.skiff.api.spi.DhcpNetwork;
import io.skiff.api.spi.DhcpServer;

import java.util.ArrayList;
import java.util.List;

/** A {@link DhcpServer} for unit tests: remembers what it was asked to serve. */
class FakeDhcpServer implements DhcpServer {
    volatile DhcpNetwork network;
    volatile List<DhcpLease> leases = List.of();
    volatile int serves;
    final List<String> closed = new ArrayList<>();

    @Override
    public synchronized void serve(DhcpNetwork network, List<DhcpLease> leases) {
        this.network = network;
        this.leases = List.copyOf(leases);
        serves++;
    }

    @Override
    public synchronized void close(String bridge) {
        closed.add(bridge);
    }
}
