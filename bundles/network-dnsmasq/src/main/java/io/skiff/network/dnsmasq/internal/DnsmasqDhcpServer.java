package io.skiff.network.dnsmasq.internal;

import io.skiff.api.Skiff;
import io.skiff.api.spi.DhcpLease;
import io.skiff.api.spi.DhcpNetwork;
import io.skiff.api.spi.DhcpServer;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * The {@link DhcpServer} {@code dnsmasq}: one dnsmasq process (see {@link DnsmasqDhcp}) serving the cell's one
 * bridge. A different network (another bridge, namespace or lease time) stops the old dnsmasq and starts a new one
 * with the same files; stopping this component stops dnsmasq.
 */
@Component(service = DhcpServer.class, configurationPid = "io.skiff.network.dnsmasq",
        configurationPolicy = ConfigurationPolicy.OPTIONAL, property = Skiff.PROVIDER_PROPERTY + "=dnsmasq")
@Designate(ocd = DnsmasqConfig.class)
public class DnsmasqDhcpServer implements DhcpServer {
    private final Function<DhcpNetwork, DnsmasqDhcp> start;
    private DhcpNetwork network;
    private DnsmasqDhcp dnsmasq;

    @Activate
    public DnsmasqDhcpServer(DnsmasqConfig config) {
        this(config.dataDir().isBlank() ? Path.of(System.getProperty("karaf.data", "data"), "skiff", "cell", "dhcp")
                : Path.of(config.dataDir()), config.program());
    }

    DnsmasqDhcpServer(Path dir, String program) {
        this.start = n -> new DnsmasqDhcp(dir, n.bridge().strip(), program, n.namespace(), n.leaseTime());
    }

    @Override
    public synchronized void serve(DhcpNetwork network, List<DhcpLease> leases) throws IOException {
        if (dnsmasq != null && !network.equals(this.network)) {
            dnsmasq.close();
            dnsmasq = null;
        }
        if (dnsmasq == null) {
            dnsmasq = start.apply(network);
            this.network = network;
        }
        dnsmasq.update(leases);
    }

    @Override
    public synchronized void close(String bridge) {
        if (dnsmasq != null && network.bridge().strip().equals(bridge.strip())) {
            dnsmasq.close();
            dnsmasq = null;
            network = null;
        }
    }

    @Deactivate
    public synchronized void deactivate() {
        if (dnsmasq != null) {
            dnsmasq.close();
            dnsmasq = null;
            network = null;
        }
    }
}
