package io.skiff.cell.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skiff.api.cell.Ack;
import io.skiff.api.cell.CellDisk;
import io.skiff.api.cell.CellInstanceSpec;
import io.skiff.api.cell.CellInstanceState;
import io.skiff.api.cell.CellInstancesReport;
import io.skiff.api.cell.CellProtocol;
import io.skiff.api.cell.ConsoleLog;
import io.skiff.api.cell.ConsoleLogRequest;
import io.skiff.api.cell.InstanceAction;
import io.skiff.api.cell.PreparedDisks;
import io.skiff.api.cell.SnapshotList;
import io.skiff.api.cell.SnapshotRequest;
import io.skiff.api.cell.StoragePoolReport;
import io.skiff.api.model.InstanceStats;
import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.DiskAttachment;
import io.skiff.api.spi.DomainInfo;
import io.skiff.api.spi.ConsoleEndpoint;
import io.skiff.api.spi.DomainSpec;
import io.skiff.api.spi.DomainState;
import io.skiff.api.spi.DomainStats;
import io.skiff.api.spi.GuestProfile;
import io.skiff.api.spi.Hypervisor;
import io.skiff.api.spi.NicAttachment;
import io.skiff.api.spi.SnapshotProvider;
import io.skiff.api.spi.GuestInitializer;
import io.skiff.api.spi.StorageBackend;
import io.skiff.api.cell.DiskResize;
import io.skiff.api.cell.DiskUsage;
import io.skiff.api.cell.DiskUsageRequest;
import io.skiff.api.spi.StoragePoolUsage;
import io.skiff.api.spi.Volume;
import io.skiff.api.transport.ClusterTransport;
import io.skiff.api.transport.Message;
import io.skiff.osgi.support.ComponentActivations;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs the cell's instances: answers the Core's requests (volumes, domain, power, console log) through the
 * hypervisor and storage providers, keeps each instance in its own JSON file, re-syncs with the hypervisor
 * at start (repairing lost definitions, never touching running guests) and reports every instance's state
 * and live figures every two seconds.
 */
@Component(immediate = true, configurationPid = "io.skiff.cell.instances")
@Designate(ocd = InstanceAgentConfig.class)
public class InstanceAgent {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceAgent.class);

    private final ClusterTransport transport;
    private final InstanceAgentConfig config;
    private final CellInstanceStore files;
    private final ImageCache images;
    /** ISOs in the instances' media drives, by medium id; a medium no instance file names any more is removed. */
    private final ImageCache media;
    private final Path mediaDir;
    /**
     * Per instance, the media its snapshots' definitions name ({@code <instance id>} files, one medium id a line):
     * those ISOs stay in the media cache while the instance has snapshots, so a revert finds them.
     */
    private final Path snapshotMediaDir;
    private final Path consoleDir;
    private final List<ClusterTransport.Registration> registrations = new ArrayList<>();
    private final Map<String, StorageBackend> storage = new ConcurrentHashMap<>();
    private final Map<String, GuestProfile> profiles = new ConcurrentHashMap<>();
    private final Map<String, Sample> samples = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    private final org.osgi.framework.ServiceRegistration<io.skiff.api.model.ComponentActivation> activation;
    private final DnsmasqDhcp dhcp;
    /** Serialises lease refreshes without holding the agent's lock (which defines hold). */
    private final Object dhcpLock = new Object();
    private final java.security.SecureRandom random = new java.security.SecureRandom();

    private volatile Hypervisor hypervisor;
    private volatile String hypervisorName = "libvirt";
    private volatile SnapshotProvider snapshots;
    private volatile GuestInitializer initializer;
    private volatile String initializerName = "nocloud";
    private volatile String snapshotProviderName = "qcow2";
    /**
     * Storage pools other than the default one, each with the provider that declared it
     * ({@code skiff.storage.pools}); kept when the provider goes, so requests name the missing provider.
     */
    private final Map<String, String> poolProviders = new ConcurrentHashMap<>();
    /** Instances whose volumes were refused before anything was made (a provider was absent): nothing to undo. */
    private final Set<String> refusedBeforeAnyVolume = ConcurrentHashMap.newKeySet();

    private record Sample(long cpuTimeNanos, long atNanos) {
    }

    @Activate
    public InstanceAgent(@Reference ClusterTransport transport, InstanceAgentConfig config,
                         org.osgi.framework.BundleContext context) {
        this.transport = transport;
        this.activation = ComponentActivations.register(context, "InstanceAgent");
        this.config = config;
        Path data = config.dataDir().isBlank() ? Path.of(System.getProperty("karaf.data", "data"), "skiff", "cell")
                : Path.of(config.dataDir());
        ObjectMapper mapper = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        this.files = new CellInstanceStore(data.resolve("instances"), mapper);
        this.images = new ImageCache(data.resolve("images"));
        this.mediaDir = data.resolve("media");
        this.media = new ImageCache(mediaDir);
        this.snapshotMediaDir = data.resolve("snapshot-media");
        this.consoleDir = data.resolve("console");
        this.dhcp = config.dhcp() && !config.bridge().isBlank()
                ? new DnsmasqDhcp(data.resolve("dhcp"), config.bridge().strip(), config.dnsmasq(), config.dhcpNetns(),
                        config.dhcpLeaseTime())
                : null;
        handle(CellProtocol.PREPARE_DISKS, this::prepareDisks);
        handle(CellProtocol.DEFINE, this::define);
        handle(CellProtocol.START, this::start);
        handle(CellProtocol.STOP, this::stop);
        handle(CellProtocol.UNDEFINE, this::undefine);
        handle(CellProtocol.DELETE_DISKS, this::deleteDisks);
        handle(CellProtocol.CONSOLE_LOG, this::consoleLog);
        handle(CellProtocol.CONSOLE, this::consoleEndpoint);
        handle(CellProtocol.RESIZE_DISK, this::resizeDisk);
        handle(CellProtocol.CAPTURE_DISK, this::captureDisk);
        handle(CellProtocol.SNAPSHOT_LIST, this::snapshotList);
        handle(CellProtocol.SNAPSHOT_CREATE, this::snapshotCreate);
        handle(CellProtocol.SNAPSHOT_REVERT, this::snapshotRevert);
        handle(CellProtocol.SNAPSHOT_DELETE, this::snapshotDelete);
        handle(CellProtocol.QOS_APPLY, this::qosApply);
        handle(CellProtocol.GUEST_AGENT, this::guestAgent);
        handle(CellProtocol.RESET_SYSTEM_DISK, this::resetSystemDisk);
        handle(CellProtocol.ADD_DISK, this::addDisk);
        handle(CellProtocol.REMOVE_DISK, this::removeDisk);
        handle(CellProtocol.COMPACT_DISK, this::compactDisk);
        handle(CellProtocol.DISK_USAGE, this::diskUsage);
        handle(CellProtocol.CHANGE_MEDIA, this::changeMedia);
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "skiff-cell-instances");
            t.setDaemon(true);
            return t;
        });
        timer.execute(this::refreshDhcp);
        timer.scheduleWithFixedDelay(this::report, config.reportIntervalMillis(), config.reportIntervalMillis(),
                TimeUnit.MILLISECONDS);
    }

    @Deactivate
    public void deactivate() {
        ComponentActivations.unregister(activation);
        registrations.forEach(ClusterTransport.Registration::close);
        timer.shutdownNow();
        if (dhcp != null) {
            dhcp.close();
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unsetHypervisor")
    public void setHypervisor(Hypervisor h, Map<String, Object> properties) {
        this.hypervisor = h;
        if (properties.get("skiff.provider") != null) {
            this.hypervisorName = String.valueOf(properties.get("skiff.provider"));
        }
    }

    public void unsetHypervisor(Hypervisor h) {
        if (this.hypervisor == h) {
            this.hypervisor = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unsetSnapshots")
    public void setSnapshots(SnapshotProvider provider, Map<String, Object> properties) {
        this.snapshots = provider;
        if (properties.get("skiff.provider") != null) {
            this.snapshotProviderName = String.valueOf(properties.get("skiff.provider"));
        }
    }

    public void unsetSnapshots(SnapshotProvider provider) {
        if (this.snapshots == provider) {
            this.snapshots = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unsetInitializer")
    public void setInitializer(GuestInitializer provider, Map<String, Object> properties) {
        this.initializer = provider;
        if (properties.get("skiff.provider") != null) {
            this.initializerName = String.valueOf(properties.get("skiff.provider"));
        }
    }

    public void unsetInitializer(GuestInitializer provider) {
        if (this.initializer == provider) {
            this.initializer = null;
        }
    }

    private GuestInitializer initializer() {
        GuestInitializer p = initializer;
        if (p == null) {
            throw SkiffException.providerUnavailable("GuestInitializer", initializerName,
                    "cell " + transport.localNode());
        }
        return p;
    }

    private SnapshotProvider snapshots() {
        SnapshotProvider p = snapshots;
        if (p == null) {
            throw SkiffException.providerUnavailable("SnapshotProvider", snapshotProviderName,
                    "cell " + transport.localNode());
        }
        return p;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void addStorage(StorageBackend backend, Map<String, Object> properties) {
        String provider = String.valueOf(properties.get("skiff.provider"));
        for (String pool : declaredPools(properties.get("skiff.storage.pools"))) {
            poolProviders.put(pool, provider);
        }
        storage.put(provider, backend);
    }

    private static List<String> declaredPools(Object value) {
        if (value instanceof String[] array) {
            return List.of(array);
        }
        if (value instanceof java.util.Collection<?> c) {
            return c.stream().map(String::valueOf).toList();
        }
        return value == null || String.valueOf(value).isBlank() ? List.of()
                : List.of(String.valueOf(value).trim().split("\\s*,\\s*"));
    }

    public void removeStorage(StorageBackend backend, Map<String, Object> properties) {
        storage.remove(String.valueOf(properties.get("skiff.provider")), backend);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void addProfile(GuestProfile profile) {
        profiles.put(profile.name(), profile);
    }

    public void removeProfile(GuestProfile profile) {
        profiles.remove(profile.name(), profile);
    }

    private interface Handler {
        Object handle(Message message) throws Exception;
    }

    private void handle(String type, Handler handler) {
        registrations.add(transport.subscribe(type, message -> {
            Object reply = handler.handle(message);
            refreshDhcp();
            reportSoon();
            return reply;
        }));
    }

    private Hypervisor hypervisor() {
        Hypervisor h = hypervisor;
        if (h == null) {
            throw SkiffException.providerUnavailable("Hypervisor", hypervisorName, "cell " + transport.localNode());
        }
        return h;
    }

    private StorageBackend storage() {
        return storage(config.storagePool());
    }

    /** The backend of a pool: the provider that declared it, else the cell's configured provider. */
    private StorageBackend storage(String pool) {
        String provider = providerOf(pool);
        StorageBackend b = storage.get(provider);
        if (b == null) {
            throw SkiffException.providerUnavailable("StorageBackend", provider, "cell " + transport.localNode());
        }
        return b;
    }

    private String providerOf(String pool) {
        return pool == null ? config.storageProvider() : poolProviders.getOrDefault(pool, config.storageProvider());
    }

    private String pool(CellDisk disk) {
        return disk.storagePool() == null || disk.storagePool().isEmpty() ? config.storagePool() : disk.storagePool();
    }

    // ---- requests ------------------------------------------------------------------------------------------

    private PreparedDisks prepareDisks(Message message) throws Exception {
        CellInstanceSpec spec = message.body(CellInstanceSpec.class);
        List<String> paths = new ArrayList<>();
        List<String> pools = new ArrayList<>();
        try {
            for (CellDisk disk : spec.disks()) {
                storage(pool(disk)); // every provider needed is here, before anything is made
            }
        } catch (SkiffException e) {
            refusedBeforeAnyVolume.add(spec.instanceId());
            throw e;
        }
        // the file first: a crash between a volume and the file must not leave a volume the cell knows nothing of
        files.save(new CellInstanceFile(spec, List.of(), List.of(), consoleLog(spec.instanceId()).toString(), false));
        try {
            for (CellDisk disk : spec.disks()) {
                String backing = disk.image() == null ? null : images.fetch(disk.image()).toString();
                Volume volume;
                if (backing != null && disk.fullCopy()) {
                    StorageBackend storage = storage(pool(disk));
                    volume = storage.importFile(pool(disk), disk.volume(), Path.of(backing));
                    if (volume.capacityBytes() < disk.sizeBytes()) {
                        volume = storage.resize(pool(disk), disk.volume(), disk.sizeBytes());
                    }
                } else {
                    volume = storage(pool(disk)).create(pool(disk), disk.volume(), disk.sizeBytes(), backing);
                }
                paths.add(volume.path());
                pools.add(pool(disk));
            }
        } catch (Exception e) {
            // all-or-nothing within the step: give back the volumes made so far
            for (int i = 0; i < paths.size(); i++) {
                storage(pools.get(i)).delete(pools.get(i), spec.disks().get(i).volume());
            }
            throw e;
        }
        files.save(new CellInstanceFile(spec, paths, pools, consoleLog(spec.instanceId()).toString(), false));
        LOG.info("instance {}: {} volume(s) ready", spec.instanceId(), paths.size());
        return new PreparedDisks(paths);
    }

    private synchronized Ack define(Message message) throws Exception {
        CellInstanceSpec asked = message.body(CellInstanceSpec.class);
        CellInstanceFile file = files.load(asked.instanceId()).orElseThrow(() -> SkiffException.conflict("instance",
                "cell " + transport.localNode() + " has no volumes for instance " + asked.instanceId()));
        String mac = file.mac() != null || config.bridge().isBlank() ? file.mac() : newMac();
        CellInstanceSpec spec = withVolumeNames(asked, file.spec());
        if (spec.media() != null) {
            media.fetch(spec.media()); // before the definition names it
        }
        CellInstanceFile updated = new CellInstanceFile(spec, file.volumes(), file.volumePools(), file.consoleLog(),
                true, file.consolePassword(), mac).withConsolePassword();
        defineDomain(updated);
        files.save(updated);
        return new Ack(spec.instanceId(), "defined");
    }

    /** One define at a time: a request and the re-sync must not race on the same domain. */
    private synchronized void defineDomain(CellInstanceFile file) throws IOException {
        CellInstanceSpec spec = file.spec();
        GuestProfile profile = profiles.get(spec.profile());
        if (profile == null) {
            throw SkiffException.providerUnavailable("GuestProfile", spec.profile(), "cell " + transport.localNode());
        }
        List<DiskAttachment> disks = new ArrayList<>(file.volumes().stream()
                .map(p -> new DiskAttachment(p, "qcow2", "disk", false)).toList());
        if (spec.guestInit() != null) {
            // the seed (a read-only cdrom after the disks) is rewritten at every definition
            disks.add(initializer().prepareSeed(spec.instanceId(), spec.guestInit()));
        }
        Files.createDirectories(consoleDir);
        Hypervisor h = hypervisor();
        List<NicAttachment> nics = file.mac() == null || config.bridge().isBlank() ? List.of()
                : List.of(new NicAttachment(file.mac(), config.bridge().strip()));
        // every instance has a media drive (after the seed), empty unless the spec names a medium
        DiskAttachment mediaDrive = new DiskAttachment(mediaPath(spec), "raw", "cdrom", true);
        h.define(new DomainSpec(spec.instanceId(), spec.name(), spec.cores(), spec.memoryBytes(), profile.devices(),
                disks, nics, file.consoleLog(), config.consoleListen(), file.consolePassword(), spec.qos(),
                mediaDrive, spec.bootFrom()));
        h.setAutostart(spec.instanceId(), spec.autoStart());
        LOG.info("instance {}: domain defined ({} cores, {} MiB, profile {})", spec.instanceId(), spec.cores(),
                spec.memoryBytes() >> 20, spec.profile());
    }

    /** @return the cached ISO of the spec's medium, or {@code null} for an empty drive (also when it is not cached) */
    private String mediaPath(CellInstanceSpec spec) {
        if (spec.media() == null) {
            return null;
        }
        Path iso = media.cached(spec.media());
        if (!Files.exists(iso)) {
            LOG.warn("instance {}: medium {} is not in the media cache; its drive is defined empty",
                    spec.instanceId(), spec.media().id());
            return null;
        }
        return iso.toString();
    }

    /**
     * Inserts (fetching the ISO first) or ejects the medium of the instance's media drive: live when the domain runs,
     * else in its definition (which also gives a domain defined before media drives existed its drive).
     */
    private synchronized Ack changeMedia(Message message) throws Exception {
        io.skiff.api.cell.MediaChange request = message.body(io.skiff.api.cell.MediaChange.class);
        String id = request.instanceId();
        CellInstanceFile file = known(id);
        try {
            String iso = request.media() == null ? null : media.fetch(request.media()).toString();
            CellInstanceFile updated = new CellInstanceFile(file.spec().withMedia(request.media()), file.volumes(),
                    file.volumePools(), file.consoleLog(), file.defined(), file.consolePassword(), file.mac());
            Hypervisor h = hypervisor();
            boolean live = file.defined() && h.state(id) == DomainState.RUNNING;
            if (live) {
                h.changeMedia(id, iso);
                files.save(updated);
            } else {
                files.save(updated);
                if (file.defined()) {
                    try {
                        defineDomain(updated);
                    } catch (RuntimeException e) {
                        files.save(file); // the definition did not change: neither does the file
                        throw e;
                    }
                }
            }
            LOG.info("instance {}: media drive {} ({})", id, iso == null ? "emptied" : "holds " + iso,
                    live ? "live" : "offline");
            return new Ack(id, live ? "live" : "offline");
        } finally {
            removeUnusedMedia();
        }
    }

    /** Removes the cached ISOs that no instance file of this cell names. */
    private synchronized void removeUnusedMedia() {
        try {
            if (!Files.isDirectory(mediaDir)) {
                return;
            }
            Set<String> used = new HashSet<>();
            for (CellInstanceFile f : files.all()) {
                if (f.spec().media() != null) {
                    used.add(f.spec().media().id() + ".iso");
                }
                for (String held : snapshotMedia(f.spec().instanceId())) {
                    used.add(held + ".iso");
                }
            }
            try (var cached = Files.list(mediaDir)) {
                for (Path iso : cached.filter(p -> p.getFileName().toString().endsWith(".iso")).toList()) {
                    if (!used.contains(iso.getFileName().toString())) {
                        Files.deleteIfExists(iso);
                        LOG.info("cell {}: medium {} left the media cache (no instance holds it)",
                                transport.localNode(), iso.getFileName());
                    }
                }
            }
        } catch (IOException e) {
            LOG.warn("cell {}: media cache not cleaned: {}", transport.localNode(), e.toString());
        }
    }

    /** A locally administered MAC in QEMU's 52:54:00 range that no instance file and no domain of this cell uses. */
    private synchronized String newMac() throws IOException {
        Set<String> used = new HashSet<>();
        for (CellInstanceFile f : files.all()) {
            if (f.mac() != null) {
                used.add(f.mac().toLowerCase(java.util.Locale.ROOT));
            }
        }
        Hypervisor h = hypervisor;
        if (h != null) {
            h.domains().forEach(d -> used.addAll(d.macs() == null ? List.of() : d.macs()));
        }
        for (int attempt = 0; attempt < 1000; attempt++) {
            String mac = String.format("52:54:00:%02x:%02x:%02x", random.nextInt(256), random.nextInt(256),
                    random.nextInt(256));
            if (!used.contains(mac)) {
                return mac;
            }
        }
        throw new IOException("no free MAC address found on cell " + transport.localNode());
    }

    /** Rewrites the cell's static DHCP leases from its instance files (dnsmasq is signalled only on change). */
    private void refreshDhcp() {
        if (dhcp == null) {
            return;
        }
        synchronized (dhcpLock) {
            refreshLeases();
        }
    }

    private void refreshLeases() {
        try {
            List<DhcpLease> leases = new ArrayList<>();
            for (CellInstanceFile f : files.all()) {
                if (f.mac() != null && f.spec().address() != null) {
                    leases.add(new DhcpLease(f.mac(), f.spec().address()));
                }
            }
            dhcp.update(leases);
        } catch (Exception e) {
            LOG.warn("cell {}: DHCP leases not updated: {}", transport.localNode(), e.toString());
        }
    }

    private Ack start(Message message) throws IOException {
        String id = message.body(InstanceAction.class).instanceId();
        Hypervisor h = hypervisor();
        if (h.state(id) != DomainState.RUNNING) {
            // defined again from the cell's file first: a domain defined before media drives existed (or reverted to
            // such a snapshot) gets its drive, and the drive holds the instance's medium
            Optional<CellInstanceFile> file = files.load(id);
            if (file.isPresent() && file.get().defined()) {
                defineDomain(file.get());
            }
            h.start(id);
        }
        LOG.info("instance {}: started", id);
        return new Ack(id, "running");
    }

    private Ack stop(Message message) {
        InstanceAction action = message.body(InstanceAction.class);
        Hypervisor h = hypervisor();
        String id = action.instanceId();
        DomainState state = h.state(id);
        if (state == DomainState.UNDEFINED || state == DomainState.SHUT_OFF) {
            return new Ack(id, "not running");
        }
        if (action.force()) {
            h.destroy(id);
            LOG.info("instance {}: forced off", id);
            return new Ack(id, "forced off");
        }
        boolean graceful = h.shutdown(id, Duration.ofSeconds(Math.max(1, action.timeoutSeconds())));
        LOG.info("instance {}: {}", id, graceful ? "shut down" : "forced off after " + action.timeoutSeconds() + " s");
        return new Ack(id, graceful ? "shut down" : "forced off after time-out");
    }

    /** Copies a stopped instance's disk into a standalone qcow2 and uploads it to the Core. */
    private Ack captureDisk(Message message) throws Exception {
        io.skiff.api.cell.DiskCapture request = message.body(io.skiff.api.cell.DiskCapture.class);
        String id = request.instanceId();
        CellInstanceFile file = files.load(id).orElseThrow(() -> SkiffException.notFound("instance", "instance", id));
        if (request.disk() < 0 || request.disk() >= file.volumes().size()) {
            throw SkiffException.invalid("disk", "instance " + id + " has disks 0 to " + (file.volumes().size() - 1));
        }
        if (hypervisor().state(id) == DomainState.RUNNING) {
            throw SkiffException.conflict("instance", "instance " + id + " runs; stop it to build an image");
        }
        long bytes = images.capture(Path.of(file.volumes().get(request.disk())), request.url(), request.token());
        LOG.info("instance {}: disk {} captured and uploaded ({} bytes)", id, request.disk(), bytes);
        return new Ack(id, "captured " + bytes + " bytes");
    }

    /**
     * Grows a disk: live through the hypervisor when the domain runs (the guest sees it), else the volume. Shrinks the
     * volume of a stopped domain, never below where its data ends.
     */
    private Ack resizeDisk(Message message) throws IOException {
        DiskResize request = message.body(DiskResize.class);
        String id = request.instanceId();
        DiskVolume v = diskVolume(id, request.disk());
        CellInstanceFile file = v.file();
        int index = v.index();
        CellDisk disk = v.disk();
        String pool = v.pool();
        StorageBackend storage = v.storage();
        Volume current = v.volume();
        if (request.sizeBytes() == current.capacityBytes()) {
            throw SkiffException.invalid("sizeBytes", "disk " + index + " is " + current.capacityBytes()
                    + " bytes already");
        }
        Hypervisor h = hypervisor();
        boolean running = h.state(id) == DomainState.RUNNING;
        boolean shrink = request.sizeBytes() < current.capacityBytes();
        String how;
        if (shrink) {
            if (running) {
                throw SkiffException.conflict("instance", "instance " + id + " is running; stop it to shrink disk "
                        + index);
            }
            try {
                storage.shrink(pool, disk.volume(), request.sizeBytes());
            } catch (SkiffException e) {
                throw "capacityBytes".equals(e.field()) ? SkiffException.invalid("sizeBytes", e.getMessage()) : e;
            }
            how = "shrunk";
        } else if (running) {
            h.resizeDisk(id, file.volumes().get(index), request.sizeBytes());
            how = "live";
        } else {
            storage.resize(pool, disk.volume(), request.sizeBytes());
            how = "offline";
        }
        List<CellDisk> disks = new ArrayList<>(file.spec().disks());
        disks.set(index, new CellDisk(disk.volume(), disk.storagePool(), request.sizeBytes(), disk.image(),
                disk.fullCopy()));
        CellInstanceSpec s = file.spec();
        files.save(new CellInstanceFile(s.withDisks(disks), file.volumes(),
                file.volumePools(), file.consoleLog(),
                file.defined(), file.consolePassword(), file.mac()));
        LOG.info("instance {}: disk {} resized ({}) from {} to {} bytes", id, index, how,
                current.capacityBytes(), request.sizeBytes());
        return new Ack(id, how);
    }

    /** One disk's size, the space it takes and where its data ends (what a shrink must keep). */
    private DiskUsage diskUsage(Message message) throws IOException {
        DiskUsageRequest request = message.body(DiskUsageRequest.class);
        DiskVolume v = diskVolume(request.instanceId(), request.disk());
        return new DiskUsage(request.instanceId(), v.index(), v.volume().capacityBytes(), v.volume().allocationBytes(),
                v.storage().dataEndBytes(v.pool(), v.disk().volume()));
    }

    /** One disk of an instance with the backend and volume behind it. */
    private record DiskVolume(CellInstanceFile file, int index, CellDisk disk, String pool, StorageBackend storage,
                              Volume volume) {
    }

    /** @throws SkiffException naming {@code instance}, {@code disk} or the volume when one is not there */
    private DiskVolume diskVolume(String id, int requested) throws IOException {
        CellInstanceFile file = files.load(id).orElseThrow(() -> SkiffException.notFound("instance", "instance", id));
        int index = diskIndex(file, requested);
        CellDisk disk = file.spec().disks().get(index);
        String pool = file.volumePools().get(index);
        StorageBackend storage = storage(pool);
        Volume volume = storage.find(pool, disk.volume()).orElseThrow(() -> SkiffException.notFound("disk",
                "volume", disk.volume()));
        return new DiskVolume(file, index, disk, pool, storage, volume);
    }

    private static int diskIndex(CellInstanceFile file, int index) {
        if (index < 0 || index >= file.volumes().size()) {
            throw SkiffException.invalid("disk", "instance " + file.spec().instanceId() + " has disks 0 to "
                    + (file.volumes().size() - 1));
        }
        return index;
    }

    /**
     * The Core names volumes by disk index; after a data disk was removed the cell's names differ from that, and
     * the cell's (the volumes that exist) win.
     */
    static CellInstanceSpec withVolumeNames(CellInstanceSpec spec, CellInstanceSpec known) {
        if (known == null || spec.disks().size() != known.disks().size()) {
            return spec;
        }
        List<CellDisk> disks = new ArrayList<>();
        for (int i = 0; i < spec.disks().size(); i++) {
            CellDisk d = spec.disks().get(i);
            disks.add(new CellDisk(known.disks().get(i).volume(), d.storagePool(), d.sizeBytes(), d.image(),
                    d.fullCopy()));
        }
        return spec.withDisks(disks);
    }

    private static CellInstanceFile withDisks(CellInstanceFile f, List<CellDisk> disks, List<String> volumes,
                                              List<String> pools) {
        CellInstanceSpec s = f.spec();
        return new CellInstanceFile(s.withDisks(disks), List.copyOf(volumes),
                List.copyOf(pools), f.consoleLog(), f.defined(), f.consolePassword(), f.mac());
    }

    /** Makes an empty data disk, puts it in the definition and, when the domain runs, hot-plugs it. */
    private synchronized Ack addDisk(Message message) throws IOException {
        io.skiff.api.cell.DiskAdd request = message.body(io.skiff.api.cell.DiskAdd.class);
        String id = request.instanceId();
        CellInstanceFile file = files.load(id).orElseThrow(() -> SkiffException.notFound("instance", "instance", id));
        CellDisk asked = request.disk();
        Set<String> names = new HashSet<>();
        file.spec().disks().forEach(d -> names.add(d.volume()));
        String volumeName = asked.volume();
        for (int k = file.spec().disks().size(); volumeName == null || names.contains(volumeName); k++) {
            volumeName = "skiff-" + id + "-disk" + k;
        }
        CellDisk disk = new CellDisk(volumeName, asked.storagePool(), asked.sizeBytes(), null, false);
        String pool = pool(disk);
        StorageBackend storage = storage(pool);
        Volume volume = storage.create(pool, volumeName, disk.sizeBytes(), null);
        List<CellDisk> disks = new ArrayList<>(file.spec().disks());
        disks.add(disk);
        List<String> volumes = new ArrayList<>(file.volumes());
        volumes.add(volume.path());
        List<String> pools = new ArrayList<>(file.volumePools());
        pools.add(pool);
        CellInstanceFile updated = withDisks(file, disks, volumes, pools);
        Hypervisor h = hypervisor();
        String target = null;
        try {
            if (file.defined()) {
                defineDomain(updated);
            }
            if (h.state(id) == DomainState.RUNNING) {
                GuestProfile profile = profiles.get(file.spec().profile());
                if (profile == null) {
                    throw SkiffException.providerUnavailable("GuestProfile", file.spec().profile(),
                            "cell " + transport.localNode());
                }
                target = h.attachDisk(id, new DiskAttachment(volume.path(), "qcow2", "disk", false),
                        profile.devices());
            }
            files.save(updated);
        } catch (IOException | RuntimeException e) {
            // nothing stays: the old definition and no volume
            try {
                if (file.defined()) {
                    defineDomain(file);
                }
            } finally {
                storage.delete(pool, volumeName);
            }
            LOG.warn("instance {}: data disk {} not added, volume removed: {}", id, volumeName, e.toString());
            throw e;
        }
        LOG.info("instance {}: data disk {} ({} bytes) added {}", id, disks.size() - 1, disk.sizeBytes(),
                target == null ? "to the definition" : "live as " + target);
        return new Ack(id, target == null ? "offline" : "live " + target);
    }

    /** Detaches a data disk (live when running), takes it out of the definition and deletes its volume. */
    private synchronized Ack removeDisk(Message message) throws IOException {
        io.skiff.api.cell.DiskRemove request = message.body(io.skiff.api.cell.DiskRemove.class);
        String id = request.instanceId();
        CellInstanceFile file = files.load(id).orElseThrow(() -> SkiffException.notFound("instance", "instance", id));
        int index = request.disk();
        if (index < 1 || index >= file.volumes().size()) {
            throw SkiffException.invalid("disk", "instance " + id + " has data disks 1 to "
                    + (file.volumes().size() - 1) + " (disk 0 is the system disk and stays)");
        }
        Hypervisor h = hypervisor();
        String path = file.volumes().get(index);
        boolean live = h.state(id) == DomainState.RUNNING;
        if (live) {
            h.detachDisk(id, path, Duration.ofSeconds(120));
        }
        List<CellDisk> disks = new ArrayList<>(file.spec().disks());
        CellDisk removed = disks.remove(index);
        List<String> volumes = new ArrayList<>(file.volumes());
        volumes.remove(index);
        List<String> pools = new ArrayList<>(file.volumePools());
        String pool = pools.remove(index);
        CellInstanceFile updated = withDisks(file, disks, volumes, pools);
        if (file.defined()) {
            defineDomain(updated);
        }
        files.save(updated);
        storage(pool).delete(pool, removed.volume());
        LOG.info("instance {}: data disk {} ({}) removed {}", id, index, removed.volume(), live ? "live" : "offline");
        return new Ack(id, live ? "live" : "offline");
    }

    /** Rewrites a stopped instance's disk without its unused space; detail: bytes on disk before and after. */
    private synchronized Ack compactDisk(Message message) throws IOException {
        io.skiff.api.cell.DiskCompact request = message.body(io.skiff.api.cell.DiskCompact.class);
        String id = request.instanceId();
        CellInstanceFile file = files.load(id).orElseThrow(() -> SkiffException.notFound("instance", "instance", id));
        int index = request.disk();
        if (index < 0 || index >= file.volumes().size()) {
            throw SkiffException.invalid("disk", "instance " + id + " has disks 0 to " + (file.volumes().size() - 1));
        }
        DomainState state = hypervisor().state(id);
        if (state != DomainState.SHUT_OFF && state != DomainState.UNDEFINED) {
            throw SkiffException.conflict("instance", "instance " + id + " is " + state.name().toLowerCase()
                    + "; stop it to compact a disk (QEMU has it open)");
        }
        CellDisk disk = file.spec().disks().get(index);
        String pool = file.volumePools().get(index);
        StorageBackend storage = storage(pool);
        storage.list(pool); // refreshes what the pool knows of the file
        long before = storage.find(pool, disk.volume()).orElseThrow(() -> SkiffException.notFound("disk", "volume",
                disk.volume())).allocationBytes();
        Volume after = storage.compact(pool, disk.volume());
        LOG.info("instance {}: disk {} compacted from {} to {} bytes on disk", id, index, before,
                after.allocationBytes());
        return new Ack(id, before + " " + after.allocationBytes());
    }

    /** Under the agent's lock, and the file says so: the re-sync must not define again what was just removed. */
    private synchronized Ack undefine(Message message) throws IOException {
        String id = message.body(InstanceAction.class).instanceId();
        Hypervisor h = hypervisor();
        h.destroy(id);
        h.undefine(id);
        Optional<CellInstanceFile> file = files.load(id);
        if (file.isPresent() && file.get().defined()) {
            CellInstanceFile f = file.get();
            files.save(new CellInstanceFile(f.spec(), f.volumes(), f.volumePools(), f.consoleLog(), false,
                    f.consolePassword(), f.mac()));
        }
        LOG.info("instance {}: domain removed", id);
        return new Ack(id, "undefined");
    }

    private Ack deleteDisks(Message message) throws IOException {
        String id = message.body(InstanceAction.class).instanceId();
        Optional<CellInstanceFile> file = files.load(id);
        if (file.isPresent()) {
            List<CellDisk> disks = file.get().spec().disks();
            List<String> pools = new ArrayList<>();
            for (int i = 0; i < disks.size(); i++) {
                pools.add(file.get().volumePools().size() > i ? file.get().volumePools().get(i) : pool(disks.get(i)));
                storage(pools.get(i)); // every provider needed is here, before anything is deleted
            }
            for (int i = 0; i < disks.size(); i++) {
                storage(pools.get(i)).delete(pools.get(i), disks.get(i).volume());
            }
        } else if (refusedBeforeAnyVolume.remove(id)) {
            LOG.info("instance {}: no volumes were made, none to delete", id);
        } else {
            StorageBackend backend = storage();
            // no file: the request may come from a rollback after a crash; volume names derive from the id
            for (int i = 0; i < 16; i++) {
                backend.delete(config.storagePool(), "skiff-" + id + "-disk" + i);
            }
        }
        GuestInitializer init = initializer;
        if (init != null) {
            init.removeSeed(id);
        } else if (file.isPresent() && file.get().spec().guestInit() != null) {
            LOG.warn("instance {}: no guest initializer to remove its seed with", id);
        }
        files.delete(id);
        Set<String> owners = new HashSet<>(volumeOwners);
        if (owners.remove(id)) {
            volumeOwners = owners;
        }
        Files.deleteIfExists(consoleLog(id));
        Files.deleteIfExists(snapshotMediaDir.resolve(id));
        samples.remove(id);
        removeUnusedMedia();
        LOG.info("instance {}: volumes and files deleted", id);
        return new Ack(id, "deleted");
    }

    private ConsoleLog consoleLog(Message message) throws IOException {
        ConsoleLogRequest request = message.body(ConsoleLogRequest.class);
        Path log = consoleLog(request.instanceId());
        if (!Files.exists(log)) {
            return new ConsoleLog(request.instanceId(), "", 0);
        }
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long size = file.length();
            long from = Math.max(0, size - request.maxBytes());
            byte[] bytes = new byte[(int) (size - from)];
            file.seek(from);
            file.readFully(bytes);
            return new ConsoleLog(request.instanceId(), new String(bytes, StandardCharsets.UTF_8), size);
        }
    }

    private ConsoleEndpoint consoleEndpoint(Message message) throws IOException {
        String id = message.body(InstanceAction.class).instanceId();
        CellInstanceFile file = files.load(id).orElseThrow(() -> SkiffException.notFound("instance", "instance", id));
        int port = hypervisor().consolePort(id);
        if (port <= 0) {
            throw SkiffException.conflict("instance", "instance " + id + " is not running on cell "
                    + transport.localNode() + "; its console opens once it runs");
        }
        return new ConsoleEndpoint(config.consoleListen(), port, file.consolePassword(), id);
    }

    // ---- snapshots -----------------------------------------------------------------------------------------

    private CellInstanceFile known(String id) throws IOException {
        return files.load(id).orElseThrow(() -> SkiffException.notFound("instance", "instance", id));
    }

    private SnapshotList snapshotList(Message message) throws IOException {
        String id = message.body(InstanceAction.class).instanceId();
        known(id);
        return new SnapshotList(id, snapshots().list(id));
    }

    private io.skiff.api.model.Snapshot snapshotCreate(Message message) throws IOException {
        SnapshotRequest request = message.body(SnapshotRequest.class);
        known(request.instanceId());
        long started = System.nanoTime();
        CellInstanceFile file = known(request.instanceId());
        io.skiff.api.model.Snapshot s = snapshots().create(request.instanceId(), request.name(), request.description());
        if (file.spec().media() != null) {
            holdForSnapshots(request.instanceId(), file.spec().media().id());
        }
        LOG.info("instance {}: snapshot '{}' taken ({}) in {} ms", request.instanceId(), request.name(),
                s.instanceState(), (System.nanoTime() - started) / 1_000_000);
        return s;
    }

    /**
     * Reverts, then gives the media drive the instance's current medium again (the instance record wins over the
     * snapshot's definition, which may name another medium or none): live when the reverted domain runs, else in
     * the definition.
     */
    private Ack snapshotRevert(Message message) throws IOException {
        SnapshotRequest request = message.body(SnapshotRequest.class);
        known(request.instanceId());
        snapshots().revert(request.instanceId(), request.name());
        String drive = reapplyMedia(request.instanceId());
        LOG.info("instance {}: reverted to snapshot '{}', media drive {}", request.instanceId(), request.name(), drive);
        return new Ack(request.instanceId(), "reverted to " + request.name() + ", media drive " + drive);
    }

    private synchronized String reapplyMedia(String id) throws IOException {
        CellInstanceFile file = known(id);
        String iso = mediaPath(file.spec());
        Hypervisor h = hypervisor();
        if (h.state(id) == DomainState.RUNNING) {
            try {
                h.changeMedia(id, iso);
            } catch (SkiffException e) {
                if (e.kind() != SkiffException.Kind.CONFLICT) {
                    throw e;
                }
                // the snapshot predates the media drive: the next start defines the domain with it
                LOG.warn("instance {}: reverted to a definition without a media drive; it comes back at the next "
                        + "start", id);
                return "missing until the next start";
            }
        } else if (file.defined()) {
            defineDomain(file);
        }
        return iso == null ? "empty" : "holds " + file.spec().media().id();
    }

    /** @return the media the instance's snapshots name (kept in the cache while it has snapshots) */
    private List<String> snapshotMedia(String id) throws IOException {
        Path held = snapshotMediaDir.resolve(id);
        return Files.exists(held) ? Files.readAllLines(held).stream().filter(l -> !l.isBlank()).toList() : List.of();
    }

    private synchronized void holdForSnapshots(String id, String mediaId) throws IOException {
        List<String> held = new ArrayList<>(snapshotMedia(id));
        if (!held.contains(mediaId)) {
            held.add(mediaId);
            Files.createDirectories(snapshotMediaDir);
            Files.write(snapshotMediaDir.resolve(id), held);
        }
    }

    private Ack snapshotDelete(Message message) throws IOException {
        SnapshotRequest request = message.body(SnapshotRequest.class);
        known(request.instanceId());
        try {
            snapshots().delete(request.instanceId(), request.name());
        } catch (SkiffException e) {
            if (e.getMessage() != null && e.getMessage().contains("is not the same as disk image currently used")) {
                // libvirt (9.0) deletes a running guest's internal snapshot only while every drive holds what it
                // held at the snapshot; offline it deletes it
                throw SkiffException.conflict("snapshot", "snapshot '" + request.name() + "' was taken with "
                        + "another medium in a CD-ROM drive; libvirt deletes it only while the instance is stopped "
                        + "(stop it, then delete the snapshot)");
            }
            throw e;
        }
        if (snapshots().list(request.instanceId()).isEmpty() && Files.deleteIfExists(
                snapshotMediaDir.resolve(request.instanceId()))) {
            removeUnusedMedia(); // the media its snapshots named are not needed any more
        }
        LOG.info("instance {}: snapshot '{}' deleted", request.instanceId(), request.name());
        return new Ack(request.instanceId(), "deleted snapshot " + request.name());
    }

    // ---- QoS, guest agent, system reset ------------------------------------------------------------------

    private io.skiff.api.cell.QosApplied qosApply(Message message) throws IOException {
        io.skiff.api.cell.QosRequest request = message.body(io.skiff.api.cell.QosRequest.class);
        known(request.instanceId());
        Hypervisor h = hypervisor();
        if (h.state(request.instanceId()) != DomainState.RUNNING) {
            return new io.skiff.api.cell.QosApplied(request.instanceId(), List.of(), List.of("everything"));
        }
        List<String> applied = new ArrayList<>();
        List<String> later = new ArrayList<>();
        for (String line : h.applyQosLive(request.instanceId(), request.qos())) {
            (line.startsWith("next start: ") ? later : applied).add(line.replaceFirst("^next start: ", ""));
        }
        return new io.skiff.api.cell.QosApplied(request.instanceId(), applied, later);
    }

    private io.skiff.api.cell.GuestAgentReply guestAgent(Message message) throws IOException {
        io.skiff.api.cell.GuestAgentRequest request = message.body(io.skiff.api.cell.GuestAgentRequest.class);
        known(request.instanceId());
        String reply = hypervisor().guestAgentCommand(request.instanceId(), request.command(),
                Math.max(1, request.timeoutSeconds()));
        return new io.skiff.api.cell.GuestAgentReply(request.instanceId(), reply);
    }

    /** A fresh system disk from the image; the instance is stopped (the Core forced it off first). */
    private synchronized Ack resetSystemDisk(Message message) throws Exception {
        CellInstanceSpec spec = message.body(CellInstanceSpec.class);
        CellInstanceFile file = known(spec.instanceId());
        Hypervisor h = hypervisor();
        if (h.state(spec.instanceId()) == DomainState.RUNNING) {
            throw SkiffException.conflict("instance", "instance " + spec.instanceId() + " runs; stop it first");
        }
        CellDisk disk = spec.disks().get(0);
        if (disk.image() == null) {
            throw SkiffException.conflict("instance", "the system disk of " + spec.instanceId() + " has no image");
        }
        String pool = file.volumePools().isEmpty() ? pool(disk) : file.volumePools().get(0);
        String backing = images.fetch(disk.image()).toString(); // before anything is deleted
        StorageBackend backend = storage(pool);
        backend.delete(pool, disk.volume());
        Volume volume = backend.create(pool, disk.volume(), disk.sizeBytes(), backing);
        List<String> paths = new ArrayList<>(file.volumes());
        paths.set(0, volume.path());
        CellInstanceFile updated = new CellInstanceFile(file.spec(), paths, file.volumePools(), file.consoleLog(),
                file.defined(), file.consolePassword(), file.mac());
        files.save(updated);
        LOG.info("instance {}: system disk reinstalled from image {}", spec.instanceId(), disk.image().id());
        return new Ack(spec.instanceId(), "system disk reinstalled");
    }

    private Path consoleLog(String instanceId) {
        if (!instanceId.matches("[A-Za-z0-9-]+")) {
            throw SkiffException.invalid("instanceId", "bad instance id");
        }
        return consoleDir.resolve(instanceId + ".log");
    }

    // ---- re-sync and reports -------------------------------------------------------------------------------

    /** Compares the cell's files with the hypervisor: lost definitions are redefined, running guests untouched. */
    void resync() {
        Hypervisor h = hypervisor;
        if (h == null) {
            return;
        }
        try {
            Set<String> known = new HashSet<>();
            for (CellInstanceFile file : files.all()) {
                String id = file.spec().instanceId();
                known.add(id);
                if (file.defined() && !file.volumes().isEmpty()) {
                    redefineIfLost(h, id);
                }
            }
            for (DomainInfo d : h.domains()) {
                if (!known.contains(d.instanceId())) {
                    LOG.warn("domain of instance {} has no file on this cell; reported, left untouched", d.instanceId());
                }
            }
            LOG.info("cell {}: re-sync done, {} instance(s)", transport.localNode(), known.size());
        } catch (Exception e) {
            LOG.warn("cell {}: re-sync failed: {}", transport.localNode(), e.toString());
        }
    }

    /** Defines a domain the hypervisor lost, checked again under the lock that undefining also takes. */
    private synchronized void redefineIfLost(Hypervisor h, String id) throws IOException {
        Optional<CellInstanceFile> current = files.load(id);
        if (current.isEmpty() || !current.get().defined() || current.get().volumes().isEmpty()
                || h.state(id) != DomainState.UNDEFINED) {
            return;
        }
        LOG.warn("instance {}: the hypervisor lost its domain; defining it again from the cell's file", id);
        CellInstanceFile file = current.get();
        CellInstanceFile withPassword = file.withConsolePassword();
        if (withPassword != file) {
            files.save(withPassword);
        }
        defineDomain(withPassword);
    }

    private boolean resynced;
    private final java.util.concurrent.atomic.AtomicBoolean reportPending = new java.util.concurrent.atomic.AtomicBoolean();

    /** Reports a change at once, folding a burst of changes into one report. */
    private void reportSoon() {
        if (reportPending.compareAndSet(false, true)) {
            try {
                timer.execute(() -> {
                    reportPending.set(false);
                    report();
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                reportPending.set(false);
            }
        }
    }

    void report() {
        Hypervisor h = hypervisor;
        try {
            if (h != null && !resynced) {
                resynced = true;
                resync();
            }
            refreshDhcp(); // also restarts a dnsmasq that died
            List<CellInstanceState> states = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            List<DomainInfo> domains = h == null ? List.of() : h.domains();
            Map<String, DomainInfo> byId = new java.util.HashMap<>();
            domains.forEach(d -> byId.put(d.instanceId(), d));
            for (CellInstanceFile file : files.all()) {
                String id = file.spec().instanceId();
                seen.add(id);
                DomainInfo d = byId.get(id);
                String state = h == null ? "UNKNOWN" : d == null ? DomainState.UNDEFINED.name() : d.state().name();
                states.add(new CellInstanceState(id, state, d != null && d.state() == DomainState.RUNNING
                        ? stats(h, file) : null));
            }
            for (DomainInfo d : domains) {
                if (!seen.contains(d.instanceId())) {
                    states.add(new CellInstanceState(d.instanceId(), d.state().name(), null));
                }
            }
            transport.publish(CellProtocol.INSTANCES_REPORT, new CellInstancesReport(transport.localNode(), states,
                    storagePools(), h == null ? null : h.capabilities(), held(seen, domains)));
        } catch (Exception e) {
            LOG.debug("cell {}: instance report failed: {}", transport.localNode(), e.toString());
        }
    }

    /** Volume names of instance disks: {@code skiff-<instance id>-disk<n>}. */
    private static final java.util.regex.Pattern INSTANCE_VOLUME =
            java.util.regex.Pattern.compile("skiff-([0-9A-Za-z][0-9A-Za-z-]*)-disk[0-9]+");
    /** Listing volumes makes libvirt refresh its pools: the volumes' owners are read at most this often. */
    private static final long VOLUME_SCAN_NANOS = TimeUnit.SECONDS.toNanos(30);
    private volatile Set<String> volumeOwners = Set.of();
    private volatile long volumeScanAt;

    /**
     * Every instance this cell holds something of: a file, a volume in one of its pools, or a Skiff domain. The Core compares
     * them with its records and removes what nothing owns any more; the cell never removes anything by itself.
     */
    private List<String> held(Set<String> withFiles, List<DomainInfo> domains) {
        long now = System.nanoTime();
        if (volumeScanAt == 0 || now - volumeScanAt > VOLUME_SCAN_NANOS) {
            volumeScanAt = now;
            Set<String> owners = new HashSet<>();
            for (StoragePoolReport pool : storagePools()) {
                try {
                    for (Volume v : storage(pool.name()).list(pool.name())) {
                        java.util.regex.Matcher m = INSTANCE_VOLUME.matcher(v.name());
                        if (m.matches()) {
                            owners.add(m.group(1));
                        }
                    }
                } catch (RuntimeException e) {
                    LOG.debug("cell {}: cannot list the volumes of pool {}: {}", transport.localNode(), pool.name(),
                            e.toString());
                }
            }
            volumeOwners = owners;
        }
        Set<String> held = new java.util.TreeSet<>(withFiles);
        held.addAll(volumeOwners);
        // Skiff's domains on this cell's hypervisor (which other cells may share: the Core only removes what it
        // tombstoned itself, so another cell's or another domain's guests are never touched)
        domains.forEach(d -> held.add(d.instanceId()));
        return List.copyOf(held);
    }

    /** The default pool first, then the pools other providers declared (only those whose provider is here). */
    private List<StoragePoolReport> storagePools() {
        List<StoragePoolReport> reports = new ArrayList<>();
        List<String> names = new ArrayList<>();
        names.add(config.storagePool());
        poolProviders.keySet().stream().sorted().filter(p -> !p.equals(config.storagePool())).forEach(names::add);
        for (String pool : names) {
            String provider = providerOf(pool);
            StorageBackend backend = storage.get(provider);
            if (backend == null) {
                continue;
            }
            try {
                StoragePoolUsage usage = backend.usage(pool);
                reports.add(new StoragePoolReport(pool, provider, usage.capacityBytes(), usage.allocationBytes(),
                        usage.availableBytes()));
            } catch (RuntimeException e) {
                LOG.debug("cell {}: no usage of pool {}: {}", transport.localNode(), pool, e.toString());
            }
        }
        return reports;
    }

    private InstanceStats stats(Hypervisor h, CellInstanceFile file) {
        String id = file.spec().instanceId();
        try {
            DomainStats s = h.stats(id);
            long now = System.nanoTime();
            Sample previous = samples.put(id, new Sample(s.cpuTimeNanos(), now));
            double cpu = 0;
            if (previous != null && now > previous.atNanos()) {
                cpu = 100.0 * (s.cpuTimeNanos() - previous.cpuTimeNanos()) / (now - previous.atNanos());
            }
            return new InstanceStats(Math.max(0, cpu), s.memoryBytes(), s.diskReadBytes(), s.diskWriteBytes(),
                    s.netRxBytes(), s.netTxBytes(), Instant.now());
        } catch (Exception e) {
            return null;
        }
    }
}
