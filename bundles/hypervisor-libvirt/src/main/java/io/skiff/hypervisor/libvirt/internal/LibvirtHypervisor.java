package io.skiff.hypervisor.libvirt.internal;

import io.skiff.api.Skiff;
import io.skiff.api.model.Qos;
import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.DeviceProfile;
import io.skiff.api.spi.DiskAttachment;
import io.skiff.api.spi.DomainInfo;
import io.skiff.api.spi.DomainLifecycleEvent;
import io.skiff.api.spi.DomainSpec;
import io.skiff.api.spi.DomainState;
import io.skiff.api.spi.DomainStats;
import io.skiff.api.spi.HostCapabilities;
import io.skiff.api.spi.Hypervisor;
import io.skiff.api.spi.MigrationOutcome;
import io.skiff.api.spi.MigrationPlan;
import io.skiff.api.spi.MigrationProgress;
import io.skiff.libvirt.LibvirtConnection;
import org.libvirt.Connect;
import org.libvirt.NodeInfo;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * The {@link Hypervisor} of this host on libvirt: the DS component that opens the one {@link LibvirtConnection},
 * has the accelerator chosen, and hands each call to the class of its capability, all on one
 * {@link OwnedDomains}: {@link PersistentDomains} (define, undefine, autostart), {@link DomainPower} (start,
 * shutdown, destroy, state), {@link LiveDisks} (attach, detach, resize while running), {@link DomainMedia},
 * {@link LiveQos}, {@link DomainReports} (listing, console port, counters) and {@link GuestAgentCommands}; lifecycle
 * events come from {@link DomainLifecycleEvents}, on a connection of their own.
 * <p>
 * Domains are named {@code skiff-<instanceId>} and tagged with Skiff's metadata; a domain without the tag is never
 * listed, changed or removed, even when its name starts with {@code skiff-}. The connection reconnects after
 * libvirtd restarts. The accelerator (KVM or TCG) is chosen once, in the background right after activation
 * ({@link AcceleratorChoice}, the probe's decision remembered per host and QEMU version in
 * {@code acceleratorFile}); the first {@link #define} or {@link #capabilities} waits for that choice, and so does
 * the cell before it first reports to the Core.
 */
@Component(service = Hypervisor.class, property = Skiff.PROVIDER_PROPERTY + "=libvirt",
        configurationPid = "io.skiff.hypervisor.libvirt")
@Designate(ocd = LibvirtHypervisorConfig.class)
public class LibvirtHypervisor implements Hypervisor {

    private static final Logger LOG = LoggerFactory.getLogger(LibvirtHypervisor.class);

    /** Everything {@link #open} makes; replaced as a whole, so a call sees one consistent set. */
    private record Parts(LibvirtConnection connection, AcceleratorChoice accelerator, OwnedDomains domains,
                         PersistentDomains definitions, DomainPower power, LiveDisks disks, DomainMedia media,
                         LiveQos qos, DomainReports reports, GuestAgentCommands agent,
                         DomainMigration migration) {
    }

    private volatile Parts parts;
    private volatile Duration probeTimeout = Duration.ofSeconds(10);
    private volatile LibvirtConnection.Endpoint endpoint = NativeConnect.ENDPOINT;
    private Thread chooser;

    @Activate
    void activate(LibvirtHypervisorConfig config) {
        Path remembered = config.acceleratorFile().isBlank()
                ? Path.of(System.getProperty("karaf.data", "data"), "skiff", "cell", "accelerator.properties")
                : Path.of(config.acceleratorFile().strip());
        open(config.uri(), config.accel(), Duration.ofSeconds(Math.max(1, config.probeTimeoutSeconds())),
                NativeConnect.ENDPOINT, remembered);
        // the probe may take seconds: choose in the background so that activation does not wait for it
        chooser = new Thread(this::chooseAccelerator, "skiff-libvirt-accelerator");
        chooser.setDaemon(true);
        chooser.start();
    }

    /** Opens the provider without OSGi (tests); the accelerator is chosen at first use, and not remembered. */
    void open(String uri, String accel, Duration probeTimeout, LibvirtConnection.Endpoint endpoint) {
        open(uri, accel, probeTimeout, endpoint, null);
    }

    /**
     * Opens the provider; the accelerator is chosen at first use.
     *
     * @param rememberedAccelerator the file that keeps a probe's decision; {@code null}: none
     */
    void open(String uri, String accel, Duration probeTimeout, LibvirtConnection.Endpoint endpoint,
              Path rememberedAccelerator) {
        LibvirtConnection conn = new LibvirtConnection(uri, endpoint, Duration.ofMillis(250), Duration.ofSeconds(10),
                System::nanoTime);
        this.probeTimeout = probeTimeout;
        this.endpoint = endpoint;
        OwnedDomains domains = new OwnedDomains(conn);
        AcceleratorChoice accelerator = new AcceleratorChoice(accel, uri, new AcceleratorChoice.Host() {
            @Override
            public String driver() {
                return domains.host("reading the driver name", Connect::getType);
            }

            @Override
            public CapabilitiesDescription capabilities() {
                return CapabilitiesDescription.parse(domains.host("reading host capabilities",
                        Connect::getCapabilities));
            }

            @Override
            public AcceleratorProbe.Result probe(String domainType) {
                return new AcceleratorProbe(conn, probeTimeout).probe(domainType);
            }

            @Override
            public String identity() {
                return domains.host("reading the host's identity", c -> "host "
                        + CapabilitiesDescription.hostUuid(c.getCapabilities()) + ", QEMU "
                        + versionText(c.getVersion()));
            }
        }, new RememberedAccelerator(rememberedAccelerator), Clock.systemUTC());
        BackingChain chains = new QemuImgBackingChain("qemu-img", Duration.ofSeconds(30));
        this.parts = new Parts(conn, accelerator, domains, new PersistentDomains(domains, accelerator::get, chains),
                new DomainPower(domains), new LiveDisks(domains, chains), new DomainMedia(domains), new LiveQos(domains),
                new DomainReports(domains), new GuestAgentCommands(domains), new DomainMigration(domains));
        LOG.info("Hypervisor provider libvirt at {} (accel={})", uri, accel);
    }

    private void chooseAccelerator() {
        try {
            parts.accelerator().get();
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
        Parts p = parts;
        if (p != null) {
            p.connection().close();
        }
    }

    LibvirtConnection connection() {
        return parts.connection();
    }

    /** @return the chosen accelerator, choosing now if that has not happened yet */
    Accelerator accelerator() {
        return parts.accelerator().get();
    }

    @Override
    public HostCapabilities capabilities() {
        Parts p = parts;
        Accelerator accel = p.accelerator().get();
        return p.domains().host("reading host capabilities", c -> {
            NodeInfo node = c.nodeInfo();
            CapabilitiesDescription caps = CapabilitiesDescription.parse(c.getCapabilities());
            return new HostCapabilities(c.getType() + " " + versionText(c.getVersion()), accel.name(), node.cpus,
                    node.memory * 1024, caps.machineTypes());
        });
    }

    /** libvirt's version numbers: major * 1,000,000 + minor * 1,000 + release. */
    static String versionText(long version) {
        return (version / 1_000_000) + "." + (version / 1_000 % 1_000) + "." + (version % 1_000);
    }

    @Override
    public void define(DomainSpec spec) {
        parts.definitions().define(spec);
    }

    @Override
    public void undefine(String instanceId) {
        parts.definitions().undefine(instanceId);
    }

    @Override
    public void setAutostart(String instanceId, boolean autostart) {
        parts.definitions().setAutostart(instanceId, autostart);
    }

    @Override
    public void start(String instanceId) {
        parts.power().start(instanceId);
    }

    @Override
    public boolean shutdown(String instanceId, Duration timeout) {
        return parts.power().shutdown(instanceId, timeout);
    }

    @Override
    public void destroy(String instanceId) {
        parts.power().destroy(instanceId);
    }

    @Override
    public DomainState state(String instanceId) {
        return parts.power().state(instanceId);
    }

    @Override
    public String attachDisk(String instanceId, DiskAttachment disk, DeviceProfile devices) {
        return parts.disks().attach(instanceId, disk, devices);
    }

    @Override
    public void detachDisk(String instanceId, String diskPath, Duration timeout) {
        parts.disks().detach(instanceId, diskPath, timeout);
    }

    @Override
    public void resizeDisk(String instanceId, String diskPath, long sizeBytes) {
        parts.disks().resize(instanceId, diskPath, sizeBytes);
    }

    @Override
    public boolean changeMedia(String instanceId, String isoPath) {
        return parts.media().change(instanceId, isoPath);
    }

    @Override
    public List<String> applyQosLive(String instanceId, Qos qos) {
        return parts.qos().apply(instanceId, qos);
    }

    @Override
    public List<DomainInfo> domains() {
        return parts.reports().domains();
    }

    @Override
    public int consolePort(String instanceId) {
        return parts.reports().consolePort(instanceId);
    }

    @Override
    public DomainStats stats(String instanceId) {
        return parts.reports().stats(instanceId);
    }

    @Override
    public String guestAgentCommand(String instanceId, String command, int timeoutSeconds) {
        return parts.agent().command(instanceId, command, timeoutSeconds);
    }

    @Override
    public MigrationOutcome migrate(String instanceId, MigrationPlan plan, Consumer<MigrationProgress> progress) {
        return parts.migration().migrate(instanceId, plan, progress);
    }

    /** On a connection of its own, with libvirt's event loop running (see {@link DomainLifecycleEvents}). */
    @Override
    public AutoCloseable watchLifecycle(Consumer<DomainLifecycleEvent> listener) {
        Parts p = parts;
        return DomainLifecycleEvents.start(p.connection().uri(), endpoint, listener, 2000);
    }

    @Override
    public void resume(String instanceId) {
        parts.migration().resume(instanceId);
    }
}
