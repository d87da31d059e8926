package io.skiff.hypervisor.libvirt.internal;

import io.skiff.libvirt.LibvirtConnection;
import io.skiff.libvirt.LibvirtErrors;
import io.skiff.api.Skiff;
import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.DomainInfo;
import io.skiff.api.spi.DomainSpec;
import io.skiff.api.spi.DomainState;
import io.skiff.api.spi.DomainStats;
import io.skiff.api.spi.HostCapabilities;
import io.skiff.api.spi.Hypervisor;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.DomainBlockStats;
import org.libvirt.DomainInterfaceStats;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import org.libvirt.MemoryStatistic;
import org.libvirt.NodeInfo;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link Hypervisor} of this host on libvirt. Domains are named {@code skiff-<instanceId>} and tagged with
 * Skiff's metadata; a domain without the tag is never listed, changed or removed, even when its name starts with
 * {@code skiff-}. Every libvirt call goes through one {@link LibvirtConnection}, which reconnects after libvirtd
 * restarts. The accelerator (KVM or TCG) is chosen once, in the background right after activation
 * ({@link AcceleratorChoice}); the first {@link #define} or {@link #capabilities} waits for that choice.
 */
@Component(service = Hypervisor.class, property = Skiff.PROVIDER_PROPERTY + "=libvirt",
        configurationPid = "io.skiff.hypervisor.libvirt")
@Designate(ocd = LibvirtHypervisorConfig.class)
public class LibvirtHypervisor implements Hypervisor {

    private static final Logger LOG = LoggerFactory.getLogger(LibvirtHypervisor.class);

    /** {@code VIR_DOMAIN_UNDEFINE_*}; libvirt-java 0.5.2 names only the first two */
    private static final int UNDEFINE_MANAGED_SAVE = 1;
    private static final int UNDEFINE_SNAPSHOTS_METADATA = 2;
    private static final int UNDEFINE_NVRAM = 4;
    /** {@code VIR_DOMAIN_MEMORY_STAT_*} */
    private static final int MEMORY_STAT_UNUSED = 4;
    private static final int MEMORY_STAT_AVAILABLE = 5;
    private static final int MEMORY_STAT_NR = 14;
    private static final Duration SHUTDOWN_POLL = Duration.ofMillis(250);

    private volatile LibvirtConnection connection;
    /**
     * Parsed domain XML by domain UUID and runtime id: reports read every domain every two seconds, and the
     * XML only changes with a (re)definition or a start (which changes the runtime id).
     */
    private final java.util.Map<String, DomainDescription> descriptions = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile AcceleratorChoice accelerator;
    private volatile Duration probeTimeout = Duration.ofSeconds(10);
    private Thread chooser;

    @Activate
    void activate(LibvirtHypervisorConfig config) {
        open(config.uri(), config.accel(), Duration.ofSeconds(Math.max(1, config.probeTimeoutSeconds())),
                NativeConnect.ENDPOINT);
        // the probe may take seconds: choose in the background so that activation does not wait for it
        chooser = new Thread(this::chooseAccelerator, "skiff-libvirt-accelerator");
        chooser.setDaemon(true);
        chooser.start();
    }

    /** Opens the provider without OSGi (tests); the accelerator is chosen at first use. */
    void open(String uri, String accel, Duration probeTimeout, LibvirtConnection.Endpoint endpoint) {
        LibvirtConnection conn = new LibvirtConnection(uri, endpoint, Duration.ofMillis(250), Duration.ofSeconds(10),
                System::nanoTime);
        this.probeTimeout = probeTimeout;
        this.connection = conn;
        this.accelerator = new AcceleratorChoice(accel, uri, new AcceleratorChoice.Host() {
            @Override
            public String driver() {
                return host("reading the driver name", Connect::getType);
            }

            @Override
            public CapabilitiesDescription capabilities() {
                return CapabilitiesDescription.parse(host("reading host capabilities", Connect::getCapabilities));
            }

            @Override
            public AcceleratorProbe.Result probe(String domainType) {
                return new AcceleratorProbe(conn, probeTimeout).probe(domainType);
            }
        });
        LOG.info("Hypervisor provider libvirt at {} (accel={})", uri, accel);
    }

    private void chooseAccelerator() {
        try {
            accelerator.get();
        } catch (SkiffException e) {
            LOG.warn("Accelerator not chosen yet: {}; choosing at first use", e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("Choosing the accelerator failed", e);
        }
    }

    @Deactivate
    void deactivate() {
        Thread t = chooser;
        if (t != null) {
            try {
                // let a running probe clean up its domain through the still open connection
                t.join(probeTimeout.multipliedBy(2).plusSeconds(5).toMillis()); // KVM probe, then TCG probe
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        close();
    }

    void close() {
        LibvirtConnection conn = connection;
        if (conn != null) {
            conn.close();
        }
    }

    LibvirtConnection connection() {
        return connection;
    }

    /** @return the chosen accelerator, choosing now if that has not happened yet */
    Accelerator accelerator() {
        return accelerator.get();
    }

    /** {@code VIR_DOMAIN_BLOCK_RESIZE_BYTES}: the size is in bytes, not KiB. */
    private static final int BLOCK_RESIZE_BYTES = 1;

    @Override
    public HostCapabilities capabilities() {
        Accelerator accel = accelerator.get();
        return host("reading host capabilities", c -> {
            NodeInfo node = c.nodeInfo();
            CapabilitiesDescription caps = CapabilitiesDescription.parse(c.getCapabilities());
            return new HostCapabilities(c.getType() + " " + versionText(c.getVersion()), accel.name(), node.cpus,
                    node.memory * 1024, caps.machineTypes());
        });
    }

    @Override
    public void define(DomainSpec spec) {
        forget(spec.instanceId());
        DomainXml.checkInstanceId(spec.instanceId());
        String id = spec.instanceId();
        String name = DomainXml.domainName(id);
        // validates the spec before anything is asked of libvirt
        DomainXml.write(spec, "qemu", null);
        Accelerator accel = accelerator.get();
        boolean redefined = call(id, "defining domain " + name, c -> {
            String uuid = null;
            Owned existing = lookupOwned(c, id);
            if (existing != null) {
                uuid = existing.description().uuid();
                existing.domain().free();
            }
            c.domainDefineXML(DomainXml.write(spec, accel.domainType(), uuid)).free();
            return existing != null;
        });
        LOG.info("Instance {}: domain {} {} ({}, {} vCPU, {} MiB)", id, name, redefined ? "redefined" : "defined",
                accel.name(), spec.cores(), spec.memoryBytes() / (1024 * 1024));
    }

    @Override
    public void start(String instanceId) {
        String name = DomainXml.domainName(instanceId);
        boolean started = withOwned(instanceId, "starting domain " + name, d -> {
            if (d.isActive() == 1) {
                return false;
            }
            try {
                d.create();
            } catch (LibvirtException e) {
                // it may have been started in between
                if (LibvirtErrors.is(e, ErrorNumber.VIR_ERR_OPERATION_INVALID) && d.isActive() == 1) {
                    return false;
                }
                throw e;
            }
            return true;
        });
        LOG.info("Instance {}: domain {} {}", instanceId, name, started ? "started" : "was already running");
    }

    @Override
    public boolean shutdown(String instanceId, Duration timeout) {
        String name = DomainXml.domainName(instanceId);
        boolean asked = withOwned(instanceId, "shutting down domain " + name, d -> {
            if (d.isActive() != 1) {
                return false;
            }
            try {
                d.shutdown();
            } catch (LibvirtException e) {
                if (LibvirtErrors.is(e, ErrorNumber.VIR_ERR_OPERATION_INVALID) && d.isActive() != 1) {
                    return false;
                }
                throw e;
            }
            return true;
        });
        if (!asked) {
            return true;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            DomainState state = state(instanceId);
            if (state == DomainState.SHUT_OFF || state == DomainState.UNDEFINED || state == DomainState.CRASHED) {
                LOG.info("Instance {}: domain {} shut down", instanceId, name);
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                Thread.sleep(Math.min(SHUTDOWN_POLL.toMillis(), Math.max(1, left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw LibvirtErrors.internal("instance " + instanceId + ": interrupted while waiting for domain "
                        + name + " to shut down", e);
            }
        }
        LOG.warn("Instance {}: domain {} did not shut down within {} s; forcing it off", instanceId, name,
                timeout.toSeconds());
        destroy(instanceId);
        return false;
    }

    @Override
    public void destroy(String instanceId) {
        String name = DomainXml.domainName(instanceId);
        Boolean destroyed = withOwnedIfAny(instanceId, "destroying domain " + name, d -> destroyIfActive(d));
        if (Boolean.TRUE.equals(destroyed)) {
            LOG.info("Instance {}: domain {} destroyed", instanceId, name);
        }
    }

    private static boolean destroyIfActive(Domain d) throws LibvirtException {
        if (d.isActive() != 1) {
            return false;
        }
        try {
            d.destroy();
            return true;
        } catch (LibvirtException e) {
            if (LibvirtErrors.is(e, ErrorNumber.VIR_ERR_OPERATION_INVALID) && d.isActive() != 1) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public void undefine(String instanceId) {
        forget(instanceId);
        String name = DomainXml.domainName(instanceId);
        Boolean undefined = call(instanceId, "undefining domain " + name, c -> {
            Owned owned = lookupOwned(c, instanceId);
            if (owned == null) {
                return false;
            }
            Domain d = owned.domain();
            try {
                // undefining a running domain would leave it running as a transient one
                destroyIfActive(d);
                int flags = UNDEFINE_MANAGED_SAVE | UNDEFINE_SNAPSHOTS_METADATA
                        | (owned.description().uefi() ? UNDEFINE_NVRAM : 0);
                undefineWithFallback(d, flags);
                return true;
            } finally {
                d.free();
            }
        });
        if (undefined) {
            LOG.info("Instance {}: domain {} undefined", instanceId, name);
        }
    }

    /** Drivers that lack a flag (the test driver has no NVRAM) reject it: drop flags one by one. */
    private static void undefineWithFallback(Domain d, int flags) throws LibvirtException {
        int[] attempts = {flags, flags & ~UNDEFINE_NVRAM, flags & UNDEFINE_MANAGED_SAVE, 0};
        LibvirtException last = null;
        int previous = -1;
        for (int attempt : attempts) {
            if (attempt == previous) {
                continue;
            }
            previous = attempt;
            try {
                if (attempt == 0) {
                    d.undefine();
                } else {
                    d.undefine(attempt);
                }
                return;
            } catch (LibvirtException e) {
                if (!LibvirtErrors.is(e, ErrorNumber.VIR_ERR_INVALID_ARG)
                        && !LibvirtErrors.is(e, ErrorNumber.VIR_ERR_NO_SUPPORT)) {
                    throw e;
                }
                last = e;
            }
        }
        throw last;
    }

    @Override
    public DomainState state(String instanceId) {
        DomainXml.checkInstanceId(instanceId);
        return call(instanceId, "reading the state of domain " + DomainXml.domainName(instanceId), c -> {
            Domain d = lookup(c, DomainXml.domainName(instanceId));
            if (d == null) {
                return DomainState.UNDEFINED;
            }
            try {
                if (!describe(d).ownedBy(instanceId)) {
                    // a domain of that name that is not Skiff's: Skiff has none
                    return DomainState.UNDEFINED;
                }
                return stateOf(d);
            } finally {
                d.free();
            }
        });
    }

    @Override
    public void resizeDisk(String instanceId, String diskPath, long sizeBytes) {
        String name = DomainXml.domainName(instanceId);
        withOwned(instanceId, "resizing disk " + diskPath + " of domain " + name, d -> {
            if (d.isActive() != 1) {
                throw SkiffException.conflict("instance", "domain " + name + " does not run; resize its volume");
            }
            d.blockResize(diskPath, sizeBytes, BLOCK_RESIZE_BYTES);
            return null;
        });
        LOG.info("Instance {}: disk {} of domain {} grown live to {} bytes", instanceId, diskPath, name, sizeBytes);
    }

    /** {@code VIR_DOMAIN_AFFECT_LIVE}: the running domain only (the persistent definition comes from define). */
    private static final int AFFECT_LIVE = 1;

    @Override
    public String attachDisk(String instanceId, io.skiff.api.spi.DiskAttachment disk,
                             io.skiff.api.spi.DeviceProfile devices) {
        String name = DomainXml.domainName(instanceId);
        String target = withOwned(instanceId, "attaching disk " + disk.path() + " to domain " + name, d -> {
            if (d.isActive() != 1) {
                throw SkiffException.conflict("instance", "domain " + name + " does not run; define it with the disk");
            }
            java.util.Map<String, String> live = DomainDescription.diskSources(d.getXMLDesc(0));
            String[] xml = DomainXml.hotplugDisk(instanceId, disk, devices, live.keySet());
            d.attachDeviceFlags(xml[1], AFFECT_LIVE);
            return xml[0];
        });
        forget(instanceId);
        LOG.info("Instance {}: disk {} attached live to domain {} as {}", instanceId, disk.path(), name, target);
        return target;
    }

    /** {@code VIR_DOMAIN_AFFECT_CONFIG}: the persistent definition. */
    private static final int AFFECT_CONFIG = 2;
    /** {@code VIR_DOMAIN_XML_INACTIVE}: the persistent definition's XML. */
    private static final int XML_INACTIVE = 2;

    @Override
    public boolean changeMedia(String instanceId, String isoPath) {
        String name = DomainXml.domainName(instanceId);
        boolean live = withOwned(instanceId, (isoPath == null ? "ejecting the medium of" : "inserting " + isoPath
                + " into") + " domain " + name, d -> {
            boolean active = d.isActive() == 1;
            DomainDescription.MediaDrive drive = DomainDescription.mediaDrive(d.getXMLDesc(active ? 0 : XML_INACTIVE));
            if (drive == null) {
                throw SkiffException.conflict("media", "instance " + instanceId + " has no media drive"
                        + (active ? " while it runs (it was defined before media drives existed); stop it, "
                        + "and the drive is added with the medium" : ""));
            }
            d.updateDeviceFlags(DomainXml.mediaDrive(drive.target(), drive.bus(), isoPath, drive.bootOrder()),
                    active ? AFFECT_LIVE | AFFECT_CONFIG : AFFECT_CONFIG);
            return active;
        });
        forget(instanceId);
        LOG.info("Instance {}: media drive of domain {} {} ({})", instanceId, name,
                isoPath == null ? "ejected" : "holds " + isoPath, live ? "live and in the definition" : "definition");
        return live;
    }

    @Override
    public void detachDisk(String instanceId, String diskPath, Duration timeout) {
        String name = DomainXml.domainName(instanceId);
        String target = withOwned(instanceId, "detaching disk " + diskPath + " from domain " + name, d -> {
            if (d.isActive() != 1) {
                throw SkiffException.conflict("instance", "domain " + name + " does not run; define it without the disk");
            }
            java.util.Map<String, String> live = DomainDescription.diskSources(d.getXMLDesc(0));
            String found = null;
            for (var e : live.entrySet()) {
                if (diskPath.equals(e.getValue())) {
                    found = e.getKey();
                }
            }
            if (found == null) {
                return null; // not attached (any more): nothing to do
            }
            String[] xml = DomainXml.hotplugDisk(instanceId, new io.skiff.api.spi.DiskAttachment(diskPath, "qcow2",
                    "disk", false), new io.skiff.api.spi.DeviceProfile("virtio", null, null, false, null, null),
                    java.util.Set.of());
            String withTarget = xml[1].replaceFirst("dev=\"[a-z]+\"", "dev=\"" + found + "\"");
            d.detachDeviceFlags(withTarget, AFFECT_LIVE);
            return found;
        });
        forget(instanceId);
        if (target == null) {
            return;
        }
        // the guest releases the device (PCI unplug) in its own time; wait for it
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Boolean still = withOwned(instanceId, "reading the disks of domain " + name, d ->
                    DomainDescription.diskSources(d.getXMLDesc(0)).containsValue(diskPath));
            if (!still) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw SkiffException.conflict("disk", "instance " + instanceId + ": the guest has not released disk "
                        + target + " within " + timeout.toSeconds() + " s (a guest without PCI hot-unplug support "
                        + "keeps it; stop the instance and remove the disk then)");
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw SkiffException.unavailable("interrupted while waiting for the guest to release disk " + target);
            }
        }
        LOG.info("Instance {}: disk {} ({}) detached live from domain {}", instanceId, diskPath, target, name);
    }

    @Override
    public void setAutostart(String instanceId, boolean autostart) {
        withOwned(instanceId, (autostart ? "enabling" : "disabling") + " autostart of domain "
                + DomainXml.domainName(instanceId), d -> {
            d.setAutostart(autostart);
            return null;
        });
    }

    @Override
    public List<DomainInfo> domains() {
        return host("listing domains", c -> {
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
                Domain d = lookup(c, name);
                if (d == null) {
                    continue;
                }
                try {
                    DomainDescription description = describe(d);
                    if (description.ownedBy(instanceId)) {
                        boolean active = d.isActive() == 1;
                        found.add(new DomainInfo(instanceId, stateOf(d), active ? d.getID() : -1,
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

    @Override
    public int consolePort(String instanceId) {
        Integer port = withOwnedIfAny(instanceId, "reading the VNC port of domain " + DomainXml.domainName(instanceId),
                d -> d.isActive() == 1 ? describe(d).vncPort() : -1);
        return port == null ? -1 : port;
    }

    @Override
    public DomainStats stats(String instanceId) {
        return withOwned(instanceId, "reading the counters of domain " + DomainXml.domainName(instanceId), d -> {
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
            DomainDescription live = describe(d);
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

    // --- helpers -------------------------------------------------------------------------------------------------

    /**
     * CPU through scheduler parameters (libvirt-java), disk I/O limits and interface bandwidth through
     * {@code virDomainSetBlockIoTune} and {@code virDomainSetInterfaceParameters} ({@link DomainTuning}), each on the
     * running domain and in its definition. What could not be applied live is reported as {@code "next start: ..."}
     * (the definition the Core wrote carries it).
     */
    @Override
    public List<String> applyQosLive(String instanceId, io.skiff.api.model.Qos qos) {
        io.skiff.api.model.Qos q = qos == null ? io.skiff.api.model.Qos.DEFAULT : qos;
        String name = DomainXml.domainName(instanceId);
        List<String> done = withOwned(instanceId, "applying QoS to domain " + name, (c, d) -> {
            if (d.isActive() != 1) {
                return List.of();
            }
            List<String> lines = new ArrayList<>();
            try {
                lines.add(applyCpu(d, q));
            } catch (LibvirtException e) {
                // e.g. a driver without cgroup shares: the rest can still go live
                LOG.warn("Instance {}: cpu priority not applied live: {}", instanceId, e.getMessage());
                lines.add("next start: cpu priority (not applied live: " + e.getMessage() + ")");
            }
            String xml = d.getXMLDesc(0);
            DomainDescription description = DomainDescription.parse(xml);
            NativeConnect nc = c instanceof NativeConnect n ? n : null;
            List<String> disks = DomainDescription.limitableDisks(xml);
            if (!disks.isEmpty()) {
                String failure = nc == null ? "this libvirt connection gives no native handle" : null;
                for (int i = 0; failure == null && i < disks.size(); i++) {
                    try {
                        DomainTuning.setBlockIoTune(nc, description.uuid(), disks.get(i),
                                limit(q.diskReadBytesPerSecond()), limit(q.diskWriteBytesPerSecond()),
                                limit(q.diskReadIops()), limit(q.diskWriteIops()));
                    } catch (DomainTuning.TuningException | RuntimeException e) {
                        failure = e.getMessage();
                    }
                }
                if (failure == null) {
                    lines.add("disk limits on " + String.join(", ", disks));
                } else {
                    LOG.warn("Instance {}: disk limits not applied live: {}", instanceId, failure);
                    lines.add("next start: disk limits (not applied live: " + failure + ")");
                }
            }
            List<String> nics = description.macs();
            if (nics.isEmpty()) {
                if (q.limitsNetwork()) {
                    // nothing to shape now; every interface the definition gets later carries <bandwidth>
                    lines.add("next start: network limits (the instance has no network interface now; each one it "
                            + "gets has them)");
                }
            } else {
                String failure = nc == null ? "this libvirt connection gives no native handle" : null;
                for (int i = 0; failure == null && i < nics.size(); i++) {
                    try {
                        DomainTuning.setInterfaceBandwidth(nc, description.uuid(), nics.get(i),
                                limit(q.netRxKiBPerSecond()), limit(q.netTxKiBPerSecond()));
                    } catch (DomainTuning.TuningException | RuntimeException e) {
                        failure = e.getMessage();
                    }
                }
                if (failure == null) {
                    lines.add("network limits on " + String.join(", ", description.interfaceTargets().isEmpty()
                            ? nics : description.interfaceTargets()));
                } else {
                    LOG.warn("Instance {}: network limits not applied live: {}", instanceId, failure);
                    lines.add("next start: network limits (not applied live: " + failure + ")");
                }
            }
            return lines;
        });
        LOG.info("Instance {}: QoS applied live: {}", instanceId, done);
        return done;
    }

    /** CPU shares, period and quota through libvirt-java's scheduler parameters. */
    private static String applyCpu(Domain d, io.skiff.api.model.Qos q) throws LibvirtException {
        org.libvirt.SchedUlongParameter shares = new org.libvirt.SchedUlongParameter(
                io.skiff.api.model.Qos.cpuShares(q.cpuPriority()));
        shares.field = "cpu_shares";
        long quotaMicros = io.skiff.api.model.Qos.cpuQuotaMicros(q.cpuPriority());
        org.libvirt.SchedUlongParameter period = new org.libvirt.SchedUlongParameter(
                io.skiff.api.model.Qos.CPU_PERIOD_MICROS);
        period.field = "vcpu_period";
        org.libvirt.SchedLongParameter quota = new org.libvirt.SchedLongParameter(quotaMicros);
        quota.field = "vcpu_quota";
        // one parameter per call: libvirt-java 0.5.2 builds a non-contiguous array JNA cannot pass for several
        d.setSchedulerParameters(new org.libvirt.SchedParameter[] {shares});
        d.setSchedulerParameters(new org.libvirt.SchedParameter[] {period});
        d.setSchedulerParameters(new org.libvirt.SchedParameter[] {quota});
        return "cpu priority " + q.cpuPriority() + " (shares " + shares.value + ", quota "
                + (quotaMicros > 0 ? quotaMicros + " us per " + period.value + " us" : "unlimited") + ")";
    }

    private static long limit(Long value) {
        return value == null || value < 0 ? 0 : value;
    }

    @Override
    public String guestAgentCommand(String instanceId, String command, int timeoutSeconds) {
        String name = DomainXml.domainName(instanceId);
        DomainXml.checkInstanceId(instanceId);
        try {
            return connection.call(c -> {
                Owned owned = lookupOwned(c, instanceId);
                if (owned == null) {
                    throw SkiffException.notFound("instance", "instance", instanceId);
                }
                try {
                    if (owned.domain().isActive() != 1) {
                        throw SkiffException.conflict("instance", "instance " + instanceId + " is not running");
                    }
                    return owned.domain().qemuAgentCommand(command, Math.max(1, timeoutSeconds), 0);
                } finally {
                    owned.domain().free();
                }
            });
        } catch (LibvirtException e) {
            String message = e.getMessage() == null ? "" : e.getMessage();
            if (message.contains("unable to execute QEMU agent command")) {
                // the agent runs and answered the command with an error (libvirt names the command, never its
                // arguments): not "no agent"
                throw new SkiffException(SkiffException.Kind.CONFLICT, "guest-agent-failed", "the guest agent of "
                        + "instance " + instanceId + " refused the command: " + message, "guestAgent");
            }
            if (message.toLowerCase(java.util.Locale.ROOT).contains("agent")) {
                throw new SkiffException(SkiffException.Kind.CONFLICT, "no-guest-agent", "the guest of instance "
                        + instanceId + " does not answer the QEMU guest agent (qemu-guest-agent not installed or not "
                        + "running in the guest): " + message, "guestAgent");
            }
            throw LibvirtErrors.toSkiff("instance " + instanceId, "guest agent command on domain " + name, e);
        }
    }

    /** A Skiff-owned domain and what its XML says. */
    private record Owned(Domain domain, DomainDescription description) {
    }

    @FunctionalInterface
    private interface DomainCall<T> {
        T apply(Domain domain) throws LibvirtException;
    }

    /** Runs a call on the instance's domain; {@code NOT_FOUND} when there is none. */
    private <T> T withOwned(String instanceId, String action, DomainCall<T> call) {
        return withOwned(instanceId, action, (c, d) -> call.apply(d));
    }

    @FunctionalInterface
    private interface ConnectedDomainCall<T> {
        T apply(Connect connect, Domain domain) throws LibvirtException;
    }

    /** Runs a call on the instance's domain and the connection it came from; {@code NOT_FOUND} when there is none. */
    private <T> T withOwned(String instanceId, String action, ConnectedDomainCall<T> call) {
        DomainXml.checkInstanceId(instanceId);
        return call(instanceId, action, c -> {
            Owned owned = lookupOwned(c, instanceId);
            if (owned == null) {
                throw new SkiffException(SkiffException.Kind.NOT_FOUND, "not-found", "instance " + instanceId
                        + ": " + action + " failed: domain " + DomainXml.domainName(instanceId)
                        + " is not defined on this host", null);
            }
            try {
                return call.apply(c, owned.domain());
            } finally {
                owned.domain().free();
            }
        });
    }

    /** Runs a call on the instance's domain; {@code null} without calling when there is none. */
    private <T> T withOwnedIfAny(String instanceId, String action, DomainCall<T> call) {
        DomainXml.checkInstanceId(instanceId);
        return call(instanceId, action, c -> {
            Owned owned = lookupOwned(c, instanceId);
            if (owned == null) {
                return null;
            }
            try {
                return call.apply(owned.domain());
            } finally {
                owned.domain().free();
            }
        });
    }

    /**
     * @return the instance's domain, or {@code null} when there is none
     * @throws SkiffException {@code CONFLICT} when a domain has the instance's name but not Skiff's tag
     */
    /** Drops the cached descriptions of an instance's domain, before it is (re)defined or removed. */
    private void forget(String instanceId) {
        String prefix = DomainXml.domainName(instanceId) + "/";
        descriptions.keySet().removeIf(k -> k.startsWith(prefix));
    }

    private DomainDescription describe(Domain d) throws LibvirtException {
        String key = d.getName() + "/" + d.getUUIDString() + "/" + d.getID();
        DomainDescription known = descriptions.get(key);
        if (known != null) {
            return known;
        }
        DomainDescription parsed = DomainDescription.parse(d.getXMLDesc(0));
        if (descriptions.size() > 50_000) {
            descriptions.clear();
        }
        descriptions.put(key, parsed);
        return parsed;
    }

    private Owned lookupOwned(Connect c, String instanceId) throws LibvirtException {
        String name = DomainXml.domainName(instanceId);
        Domain d = lookup(c, name);
        if (d == null) {
            return null;
        }
        DomainDescription description;
        try {
            description = describe(d);
        } catch (LibvirtException | RuntimeException e) {
            d.free();
            throw e;
        }
        if (!description.ownedBy(instanceId)) {
            d.free();
            throw SkiffException.conflict(null, "instance " + instanceId + ": domain " + name
                    + " exists but is not Skiff's (no Skiff metadata); Skiff leaves it alone");
        }
        return new Owned(d, description);
    }

    private static Domain lookup(Connect c, String name) throws LibvirtException {
        try {
            return c.domainLookupByName(name);
        } catch (LibvirtException e) {
            if (LibvirtErrors.is(e, ErrorNumber.VIR_ERR_NO_DOMAIN)) {
                return null;
            }
            throw e;
        }
    }

    private static DomainState stateOf(Domain d) throws LibvirtException {
        org.libvirt.DomainInfo.DomainState state;
        try {
            state = d.getInfo().state;
        } catch (RuntimeException e) {
            // libvirt-java 0.5.2 knows no state after CRASHED (e.g. PMSUSPENDED) and fails to map it
            return DomainState.UNKNOWN;
        }
        if (state == null) {
            return DomainState.UNKNOWN;
        }
        return switch (state) {
            case VIR_DOMAIN_RUNNING, VIR_DOMAIN_BLOCKED, VIR_DOMAIN_SHUTDOWN -> DomainState.RUNNING;
            case VIR_DOMAIN_PAUSED -> DomainState.PAUSED;
            case VIR_DOMAIN_SHUTOFF -> DomainState.SHUT_OFF;
            case VIR_DOMAIN_CRASHED -> DomainState.CRASHED;
            default -> DomainState.UNKNOWN;
        };
    }

    private <T> T call(String instanceId, String action, LibvirtConnection.Call<T> call) {
        try {
            return connection.call(call);
        } catch (LibvirtException e) {
            throw LibvirtErrors.toSkiff("instance " + instanceId, action, e);
        }
    }

    private <T> T host(String action, LibvirtConnection.Call<T> call) {
        try {
            return connection.call(call);
        } catch (LibvirtException e) {
            throw LibvirtErrors.toSkiff("libvirt at " + connection.uri(), action, e);
        }
    }

    /** libvirt's version numbers: major * 1,000,000 + minor * 1,000 + release. */
    static String versionText(long version) {
        return (version / 1_000_000) + "." + (version / 1_000 % 1_000) + "." + (version % 1_000);
    }
}
