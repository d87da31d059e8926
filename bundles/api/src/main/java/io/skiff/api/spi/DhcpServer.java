package io.skiff.api.spi;

import java.io.IOException;
import java.util.List;

/**
 * Serves a cell's guests their addresses by DHCP: static leases only (each instance's MAC gets the address the Core
 * bound to it), with each address pool's gateway, DNS servers and domain as options. Runs on the Cell; registered
 * with {@code skiff.provider} (e.g. {@code dnsmasq}); the cell picks the one its settings name.
 *
 * <p>The cell calls {@link #serve} after every change and with every report, so it must be cheap when nothing
 * changed, and it repairs what it finds broken (a server process that died is started again).
 */
public interface DhcpServer {

    /**
     * Serves exactly these leases on the network, replacing what was served there before. A lease that is not
     * listed any more is withdrawn at once, so its address can go to its next holder without waiting for the lease
     * to expire; an empty list stops serving.
     *
     * @param network the host bridge to serve on, with its namespace and lease time
     * @param leases every lease to serve now
     * @throws IOException when the leases cannot be written or the server does not start
     */
    void serve(DhcpNetwork network, List<DhcpLease> leases) throws IOException;

    /** Stops serving on the bridge (a cell that stops or no longer serves DHCP); tolerates one never served. */
    void close(String bridge);
}
