package io.skiff.hypervisor.libvirt.internal;

import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.DomainInfo;
import io.skiff.api.spi.DomainStats;
import io.skiff.libvirt.LibvirtErrors;
import org.libvirt.Domain;
import org.libvirt.DomainBlockStats;
import org.libvirt.DomainInterfaceStats;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import org.libvirt.MemoryStatistic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * What the Cell reports about the domains of this host, read every few seconds and never changing anything: which
 * of Skiff's domains exist (with state, runtime id and MAC addresses), the VNC port of a running one, and its
 * counters (CPU time, memory in use, disk and network bytes).
 */
final class DomainReports {

    private static final Logger LOG = LoggerFactory.getLogger(DomainReports.class);
    /** {@code VIR_DOMAIN_MEMORY_STAT_*} */
    private static final int MEMORY_STAT_UNUSED = 4;
    private static final int MEMORY_STAT_AVAILABLE = 5;
    private static final int MEMORY_STAT_NR = 14;

    private final OwnedDomains domains;

    DomainReports(OwnedDomains domains) {
        this.domains = domains;
    }

    /** @return Skiff's domains on this host, running and defined; a {@code skiff-*} domain without the tag is not */
    List<DomainInfo> domains() {
        return domains.host("listing domains", c -> {
            List<String> names = new ArrayList<>();
            for (int id : c.listDomains()) {
                try {
                    Domain d = c.domainLookupByID(id);
                    try {
                        names.add(d.getName());
                    } finally {
                        d.free();
                    }
                } catch (LibvirtException e) {
                    // stopped in between
                }
            }
            for (String name : c.listDefinedDomains()) {
                names.add(name);
            }
            List<DomainInfo> found = new ArrayList<>();
            for (String name : names) {
                if (!name.startsWith(DomainXml.NAME_PREFIX)) {
                    continue;
                }
                String instanceId = name.substring(DomainXml.NAME_PREFIX.length());
                Domain d = OwnedDomains.lookup(c, name);
                if (d == null) {
                    continue;
                }
                try {
                    DomainDescription description = domains.describe(d);
                    if (description.ownedBy(instanceId)) {
                        boolean active = d.isActive() == 1;
                        found.add(new DomainInfo(instanceId, OwnedDomains.stateOf(d), active ? d.getID() : -1,
                                description.macs()));
                    }
                } catch (LibvirtException e) {
                    if (!LibvirtErrors.is(e, ErrorNumber.VIR_ERR_NO_DOMAIN)) {
                        throw e;
                    }
                } finally {
                    d.free();
                }
            }
            return found;
        });
    }

    /** @return the VNC port of the running domain, -1 when it does not run, has none or is not defined */
    int consolePort(String instanceId) {
        Integer port = domains.withOwnedIfAny(instanceId, "reading the VNC port of domain "
                + DomainXml.domainName(instanceId), d -> d.isActive() == 1 ? domains.describe(d).vncPort() : -1);
        return port == null ? -1 : port;
    }

    /**
     * @return the counters of the running domain; memory is what the guest uses (balloon statistics) where it
     *     says, else what it was given
     */
    DomainStats stats(String instanceId) {
        return domains.withOwned(instanceId, "reading the counters of domain " + DomainXml.domainName(instanceId),
                d -> {
            if (d.isActive() != 1) {
                throw SkiffException.conflict(null, "instance " + instanceId + ": domain "
                        + DomainXml.domainName(instanceId) + " is not running");
            }
            org.libvirt.DomainInfo info = d.getInfo();
            long memory = info.memory * 1024;
            try {
                long available = -1;
                long unused = -1;
                for (MemoryStatistic s : d.memoryStats(MEMORY_STAT_NR)) {
                    if (s.getTag() == MEMORY_STAT_AVAILABLE) {
                        available = s.getValue();
                    } else if (s.getTag() == MEMORY_STAT_UNUSED) {
                        unused = s.getValue();
                    }
                }
                if (available > 0 && unused >= 0 && unused <= available) {
                    memory = (available - unused) * 1024;
                }
            } catch (LibvirtException | RuntimeException e) {
                // no balloon driver in the guest, or not supported by the driver: the assigned memory stands
            }
            // the live XML names the devices as the hypervisor knows them (vda, vnet3, ...)
            DomainDescription live = domains.describe(d);
            long read = 0;
            long written = 0;
            for (String disk : live.diskTargets()) {
                try {
                    DomainBlockStats b = d.blockStats(disk);
                    read += Math.max(0, b.rd_bytes);
                    written += Math.max(0, b.wr_bytes);
                } catch (LibvirtException | RuntimeException e) {
                    LOG.debug("Instance {}: no block counters for {}: {}", instanceId, disk, e.getMessage());
                }
            }
            long rx = 0;
            long tx = 0;
            for (String nic : live.interfaceTargets()) {
                try {
                    DomainInterfaceStats s = d.interfaceStats(nic);
                    rx += Math.max(0, s.rx_bytes);
                    tx += Math.max(0, s.tx_bytes);
                } catch (LibvirtException | RuntimeException e) {
                    LOG.debug("Instance {}: no interface counters for {}: {}", instanceId, nic, e.getMessage());
                }
            }
            return new DomainStats(info.cpuTime, memory, read, written, rx, tx);
        });
    }
}
