package io.skiff.core.internal.instance;

import io.skiff.api.cell.Ack;
import io.skiff.api.cell.CellAddress;
import io.skiff.api.model.AddressBinding;
import io.skiff.api.model.AddressPool;
import io.skiff.api.spi.AddressPoolProvider;
import io.skiff.api.cell.CellDisk;
import io.skiff.api.cell.CellInstanceSpec;
import io.skiff.api.cell.CellInstanceState;
import io.skiff.api.cell.CellInstancesReport;
import io.skiff.api.cell.CellProtocol;
import io.skiff.api.cell.ConsoleLog;
import io.skiff.api.cell.ConsoleLogRequest;
import io.skiff.api.cell.ImageSource;
import io.skiff.api.cell.InstanceAction;
import io.skiff.api.cell.PreparedDisks;
import io.skiff.api.cell.StoragePoolReport;
import io.skiff.api.model.CellStoragePool;
import io.skiff.api.service.CellInventoryService;
import io.skiff.api.spi.HostCapabilities;
import io.skiff.api.model.DiskImage;
import io.skiff.api.model.DiskSpec;
import io.skiff.api.model.InstanceSpec;
import io.skiff.api.model.InstanceState;
import io.skiff.api.model.InstanceStatus;
import io.skiff.api.model.TaskInfo;
import io.skiff.api.service.CellService;
import io.skiff.api.service.ComputePoolService;
import io.skiff.api.service.IdentityService;
import io.skiff.api.service.InstanceService;
import io.skiff.api.model.ResourceUsage;
import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.GuestProfile;
import io.skiff.api.spi.PlacementPolicy;
import io.skiff.api.state.StateStore;
import io.skiff.api.task.StepContext;
import io.skiff.api.task.TaskEngine;
import io.skiff.api.task.TaskRequest;
import io.skiff.api.task.TaskStep;
import io.skiff.api.task.UndoHandler;
import io.skiff.api.transport.ClusterMember;
import io.skiff.api.transport.ClusterTransport;
import io.skiff.core.internal.Names;
import io.skiff.core.internal.image.ImageCatalog;
import io.skiff.osgi.support.ComponentActivations;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
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

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The instance life cycle in the Core: validates requests, places instances, and runs every change as a task
 * whose steps ask the instance's cell to act (volumes, domain, power) and undo it on failure. The cells'
 * reports say what actually runs.
 */
@Component(service = {InstanceService.class, CellInventoryService.class, io.skiff.api.service.BatchService.class},
        immediate = true,
        configurationPid = "io.skiff.core.instances")
@Designate(ocd = SchedulerConfig.class)
public class InstanceManager implements InstanceService, CellInventoryService, io.skiff.api.service.BatchService {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceManager.class);
    static final long MIN_MEMORY = 16L << 20;
    static final long MAX_MEMORY = 4L << 40;
    static final long MIN_DISK = 1L << 20;
    static final long MAX_DISK = 64L << 40;
    static final int MAX_CORES = 512;
    static final int MAX_DISKS = 16;

    private final StateStore store;
    private final TaskEngine engine;
    private final CellService cells;
    private final ComputePoolService pools;
    private final ImageCatalog images;
    private final ClusterTransport transport;
    private final ConfigurationAdmin configAdmin;
    private volatile SchedulerConfig config;
    private volatile InstanceScheduler scheduler;
    private volatile CellCalls calls;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, CellInstanceState> observed = new ConcurrentHashMap<>();
    /** When each observation arrived: one older than the record's last change does not override it. */
    private final Map<String, Instant> observedAt = new ConcurrentHashMap<>();
    /** The instance records, as journaled in the store; this manager is their only writer. */
    private final Map<String, InstanceRecord> byId = new ConcurrentHashMap<>();
    private final Map<String, CellInstancesReport> lastReports = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastReportAt = new ConcurrentHashMap<>();
    private final Map<String, GuestProfile> profiles = new ConcurrentHashMap<>();
    /** Every profile name seen since activation: a request naming one that went away is told it is unavailable. */
    private final Set<String> knownProfiles = ConcurrentHashMap.newKeySet();
    private final Map<String, PlacementPolicy> policies = new ConcurrentHashMap<>();
    private final List<ServiceRegistration<UndoHandler>> undoRegistrations = new ArrayList<>();
    private ClusterTransport.Registration reportSubscription;
    private final InstanceTombstones tombstones;
    private final OrphanSweeper orphans;
    private volatile Instant addressSweepAt = Instant.EPOCH;

    /** Where orphan clean-ups are logged for operators; optional (the auth bundle provides it). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile io.skiff.api.service.OperationLog operationLog;
    private org.osgi.framework.ServiceRegistration<io.skiff.api.model.ComponentActivation> activation;
    private volatile AddressPoolProvider addressPools;
    /** ISO media for the media drives; without it instances have empty drives and media cannot be inserted. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile io.skiff.core.internal.image.MediaCatalog mediaCatalog;

    /** Users' groups and quotas; without the auth bundle an instance's group is its owner and nothing is limited. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile IdentityService identity;

    @Activate
    public InstanceManager(@Reference StateStore store, @Reference TaskEngine engine, @Reference CellService cells,
                           @Reference ComputePoolService pools, @Reference ImageCatalog images,
                           @Reference ClusterTransport transport, @Reference ConfigurationAdmin configAdmin,
                           SchedulerConfig config, BundleContext context) {
        this(store, engine, cells, pools, images, transport, configAdmin, config);
        for (UndoHandler handler : undoHandlers()) {
            undoRegistrations.add(context.registerService(UndoHandler.class, handler, null));
        }
        activation = ComponentActivations.register(context, "InstanceManager");
    }

    /**
     * Without OSGi (harnesses, benchmarks): the caller registers {@link #undoHandlers()} with its engine.
     *
     * @param configAdmin where Karaf's HTTP port is read, or {@code null} for 8181
     */
    public InstanceManager(StateStore store, TaskEngine engine, CellService cells, ComputePoolService pools,
                           ImageCatalog images, ClusterTransport transport, ConfigurationAdmin configAdmin,
                           SchedulerConfig config) {
        this.store = store;
        this.engine = engine;
        this.cells = cells;
        this.pools = pools;
        this.images = images;
        this.transport = transport;
        this.configAdmin = configAdmin;
        this.config = config;
        this.scheduler = new InstanceScheduler(config.cpuOvercommit(), config.memoryOvercommit());
        this.calls = new CellCalls(transport, Duration.ofSeconds(config.cellTimeoutSeconds()));
        for (InstanceRecord r : store.list(InstanceRecord.TYPE, InstanceRecord.class)) {
            byId.put(r.id(), r);
        }
        this.tombstones = new InstanceTombstones(store, clock, Duration.ofDays(30));
        this.orphans = new OrphanSweeper(engine, () -> calls, byId::containsKey, tombstones, clock,
                Duration.ofSeconds(Math.max(0, config.orphanGraceSeconds())), this::auditCleanup);
        reportSubscription = transport.subscribe(CellProtocol.INSTANCES_REPORT, m -> {
            onReport(m.body(CellInstancesReport.class));
            return null;
        });
    }

    /**
     * Takes new settings without re-activating (which would drop the in-memory state and every provider
     * binding): e.g. {@code config:property-set -p io.skiff.core.instances placementPolicy pack}.
     */
    @org.osgi.service.component.annotations.Modified
    void modified(SchedulerConfig updated) {
        SchedulerConfig before = config;
        if (before.cpuOvercommit() != updated.cpuOvercommit() || before.memoryOvercommit() != updated.memoryOvercommit()) {
            scheduler = new InstanceScheduler(updated.cpuOvercommit(), updated.memoryOvercommit());
        }
        if (before.cellTimeoutSeconds() != updated.cellTimeoutSeconds()) {
            calls = new CellCalls(transport, Duration.ofSeconds(updated.cellTimeoutSeconds()));
        }
        config = updated;
        LOG.info("instance settings updated: placement policy {}", updated.placementPolicy());
    }

    /** Without OSGi (harnesses): the media catalogue DS injects otherwise. */
    void mediaCatalog(io.skiff.core.internal.image.MediaCatalog catalog) {
        this.mediaCatalog = catalog;
    }

    /** @return the placement policy the settings select */
    public String placementPolicyName() {
        return config.placementPolicy();
    }

    @Deactivate
    void deactivate() {
        if (reportSubscription != null) {
            reportSubscription.close();
        }
        undoRegistrations.forEach(ServiceRegistration::unregister);
        ComponentActivations.unregister(activation);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void addProfile(GuestProfile profile) {
        profiles.put(profile.name(), profile);
        knownProfiles.add(profile.name());
    }

    void removeProfile(GuestProfile profile) {
        profiles.remove(profile.name(), profile);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void addPolicy(PlacementPolicy policy, Map<String, Object> properties) {
        policies.put(String.valueOf(properties.get("skiff.provider")), policy);
    }

    void removePolicy(PlacementPolicy policy, Map<String, Object> properties) {
        policies.remove(String.valueOf(properties.get("skiff.provider")), policy);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unsetAddressPools")
    public void setAddressPools(AddressPoolProvider provider) {
        addressPools = provider;
    }

    public void unsetAddressPools(AddressPoolProvider provider) {
        if (addressPools == provider) {
            addressPools = null;
        }
    }

    private AddressPoolProvider addressPools() {
        AddressPoolProvider p = addressPools;
        if (p == null) {
            throw SkiffException.unavailable("no address pool provider is available");
        }
        return p;
    }

    /** @return the address pool an instance takes its address from: its own choice, else its compute pool's */
    private java.util.Optional<String> addressPoolOf(InstanceSpec spec) {
        if (spec.addressPoolId() != null) {
            return java.util.Optional.of(spec.addressPoolId());
        }
        AddressPoolProvider p = addressPools;
        return p == null ? java.util.Optional.empty() : p.forComputePool(spec.poolId()).map(AddressPool::id);
    }

    private String addressOf(String instanceId) {
        AddressPoolProvider p = addressPools;
        return p == null ? null : p.bindingOf(instanceId).map(AddressBinding::address).orElse(null);
    }

    // ---- reading -------------------------------------------------------------------------------------------

    private void onReport(CellInstancesReport report) {
        try {
            orphans.onReport(report);
            if (Duration.between(addressSweepAt, clock.instant()).toSeconds() >= 60) {
                addressSweepAt = clock.instant();
                orphans.releaseOrphanAddresses(addressPools);
            }
        } catch (RuntimeException e) {
            LOG.warn("orphan check of the report of cell {} failed: {}", report.node(), e.toString());
        }
        lastReports.put(report.node(), report);
        lastReportAt.put(report.node(), clock.instant());
        for (CellInstanceState s : report.instances()) {
            // only the instance's own cell speaks for it (cells sharing a hypervisor see each other's domains)
            find(s.instanceId())
                    .filter(r -> report.node().equals(r.cellId()))
                    .ifPresent(r -> {
                        observedAt.put(s.instanceId(), clock.instant());
                        observed.put(s.instanceId(), s);
                    });
        }
    }

    private List<InstanceRecord> records() {
        return List.copyOf(byId.values());
    }

    private java.util.Optional<InstanceRecord> find(String id) {
        return java.util.Optional.ofNullable(byId.get(id));
    }

    /** Journals a record, then makes it visible. */
    private void save(InstanceRecord r) {
        store.put(InstanceRecord.TYPE, r.id(), r);
        byId.put(r.id(), r);
    }

    /** Journals the removal together with the instance's tombstone (see {@link OrphanSweeper}), then forgets it. */
    private void remove(String id) {
        store.commit(List.of(io.skiff.api.state.StateChange.delete(InstanceRecord.TYPE, id), tombstones.tombstone(id)));
        byId.remove(id);
    }

    private void auditCleanup(String what) {
        io.skiff.api.service.OperationLog log = operationLog;
        if (log != null) {
            log.record(new io.skiff.api.model.OperationRecord(clock.instant(), "system", "core", "core",
                    "orphan clean-up", null, io.skiff.api.model.OperationRecord.SUCCESS, 0, null, what));
        }
    }

    private InstanceRecord record(String idOrName) {
        if (idOrName == null || idOrName.isEmpty()) {
            throw SkiffException.invalid("instance", "instance is required");
        }
        return find(idOrName)
                .or(() -> records().stream().filter(r -> r.spec().name().equals(idOrName)).findFirst())
                .orElseThrow(() -> SkiffException.notFound("instance", idOrName));
    }

    private InstanceStatus status(InstanceRecord r) {
        return status(r, onlineCells());
    }

    private InstanceStatus status(InstanceRecord r, java.util.Set<String> onlineCells) {
        CellInstanceState seen = onlineCells.contains(r.cellId()) ? observed.get(r.id()) : null;
        InstanceState state = r.state();
        Instant seenAt = observedAt.get(r.id());
        // a report that arrived before the last change (e.g. "shut off" just before "mark running") is stale
        boolean fresh = seenAt != null && (r.updatedAt() == null || !seenAt.isBefore(r.updatedAt()));
        if (seen != null && fresh && (state == InstanceState.RUNNING || state == InstanceState.STOPPED)) {
            state = switch (seen.domainState()) {
                case "RUNNING", "PAUSED" -> InstanceState.RUNNING;
                case "SHUT_OFF", "CRASHED" -> InstanceState.STOPPED;
                case "UNDEFINED" -> InstanceState.ERROR;
                default -> state;
            };
        }
        return new InstanceStatus(r.id(), r.spec(), state, r.cellId(), r.owner(), r.group(), addressOf(r.id()),
                state == InstanceState.RUNNING && seen != null ? seen.stats() : null,
                state == InstanceState.ERROR && r.lastError() == null && seen != null
                        ? "the cell has no domain for it" : r.lastError(),
                r.taskId(), r.createdAt(), r.updatedAt());
    }

    @Override
    public List<CellStoragePool> storagePools() {
        List<CellStoragePool> pools = new ArrayList<>();
        lastReports.forEach((cell, report) -> {
            if (report.storagePools() != null) {
                for (StoragePoolReport p : report.storagePools()) {
                    pools.add(new CellStoragePool(cell, p.name(), p.provider(), p.capacityBytes(), p.allocationBytes(),
                            p.availableBytes(), lastReportAt.get(cell)));
                }
            }
        });
        pools.sort(Comparator.comparing(CellStoragePool::cellId).thenComparing(CellStoragePool::name));
        return pools;
    }

    @Override
    public HostCapabilities capabilities(String cellId) {
        CellInstancesReport report = lastReports.get(cellId);
        if (report == null || report.host() == null) {
            throw SkiffException.notFound("cell", "hypervisor capabilities of cell", cellId);
        }
        return report.host();
    }

    /** An offline cell's last report is stale: its instances show their recorded state and no live figures. */
    private java.util.Set<String> onlineCells() {
        return cells.list().stream().filter(c -> c.status() == io.skiff.api.model.CellStatus.ONLINE)
                .map(io.skiff.api.model.Cell::id).collect(java.util.stream.Collectors.toSet());
    }

    @Override
    public List<InstanceStatus> list() {
        java.util.Set<String> online = onlineCells();
        return records().stream().sorted(Comparator.comparing(r -> r.spec().name())).map(r -> status(r, online))
                .toList();
    }

    @Override
    public InstanceStatus get(String idOrName) {
        return status(record(idOrName));
    }

    @Override
    public String consoleLog(String idOrName, int maxBytes) {
        InstanceRecord r = record(idOrName);
        if (maxBytes <= 0 || maxBytes > 16 << 20) {
            throw SkiffException.invalid("maxBytes", "maxBytes must be between 1 and 16 MiB");
        }
        return calls.call(r.cellId(), CellProtocol.CONSOLE_LOG, new ConsoleLogRequest(r.id(), maxBytes),
                ConsoleLog.class).text();
    }

    @Override
    public io.skiff.api.spi.ConsoleEndpoint consoleEndpoint(String idOrName) {
        InstanceRecord r = record(idOrName);
        if (status(r).state() != InstanceState.RUNNING) {
            throw SkiffException.conflict("instance", "instance '" + r.spec().name() + "' is not running ("
                    + status(r).state().name().toLowerCase() + "); start it to open its console");
        }
        return calls.call(r.cellId(), CellProtocol.CONSOLE, InstanceAction.of(r.id()),
                io.skiff.api.spi.ConsoleEndpoint.class);
    }

    // ---- validation ----------------------------------------------------------------------------------------

    InstanceSpec validate(InstanceSpec spec) {
        if (spec == null) {
            throw SkiffException.invalid("body", "an instance spec is required");
        }
        Names.require("name", spec.name());
        if (spec.cores() < 1 || spec.cores() > MAX_CORES) {
            throw SkiffException.invalid("cores", "cores must be between 1 and " + MAX_CORES);
        }
        if (spec.memoryBytes() < MIN_MEMORY || spec.memoryBytes() > MAX_MEMORY) {
            throw SkiffException.invalid("memoryBytes", "memoryBytes must be between 16 MiB and 4 TiB");
        }
        if (spec.poolId() == null || spec.poolId().isEmpty()) {
            throw SkiffException.invalid("poolId", "poolId is required");
        }
        pools.list().stream().filter(p -> p.name().equals(spec.poolId())).findFirst()
                .orElseThrow(() -> SkiffException.notFound("poolId", "compute pool", spec.poolId()));
        String profile = spec.profile() == null || spec.profile().isEmpty() ? "linux-virtio" : spec.profile();
        if (!profiles.containsKey(profile) && knownProfiles.contains(profile)) {
            throw SkiffException.providerUnavailable("GuestProfile", profile, null);
        }
        if (!profiles.containsKey(profile)) {
            throw SkiffException.invalid("profile", "unknown profile '" + profile + "'; known: "
                    + String.join(", ", new java.util.TreeSet<>(profiles.keySet())));
        }
        if (spec.disks() == null || spec.disks().isEmpty() || spec.disks().size() > MAX_DISKS) {
            throw SkiffException.invalid("disks", "an instance needs 1 to " + MAX_DISKS + " disks");
        }
        List<DiskSpec> disks = new ArrayList<>();
        for (int i = 0; i < spec.disks().size(); i++) {
            DiskSpec d = spec.disks().get(i);
            if (d == null) {
                throw SkiffException.invalid("disks." + i, "disk " + i + " is empty");
            }
            long size = d.sizeBytes();
            String cloneMode = null;
            if (d.imageId() != null) {
                DiskImage image = images.get(d.imageId());
                size = Math.max(size, image.virtualSizeBytes());
                cloneMode = d.cloneMode() == null ? "linked" : d.cloneMode();
                if (!cloneMode.equals("linked") && !cloneMode.equals("full")) {
                    throw SkiffException.invalid("disks." + i + ".cloneMode", "cloneMode is 'linked' or 'full', not '"
                            + d.cloneMode() + "'");
                }
                d = new DiskSpec(size, d.storagePool(), image.id(), cloneMode);
            } else if (d.cloneMode() != null) {
                throw SkiffException.invalid("disks." + i + ".cloneMode", "cloneMode needs an imageId");
            }
            if (size < MIN_DISK || size > MAX_DISK) {
                throw SkiffException.invalid("disks." + i + ".sizeBytes", "disk size must be between 1 MiB and 64 TiB");
            }
            disks.add(new DiskSpec(size, d.storagePool(), d.imageId(), cloneMode));
        }
        if (records().stream().anyMatch(r -> r.spec().name().equals(spec.name()))) {
            throw SkiffException.conflict("name", "instance '" + spec.name() + "' already exists");
        }
        // the plain admin password is hashed here and goes no further
        io.skiff.api.model.GuestInit init = GuestInits.validate(spec.guestInit(), spec.name(), disks.size());
        io.skiff.api.model.Qos qos = Qoses.validate(spec.qos());
        InstanceSpec checked = new InstanceSpec(spec.name(), spec.poolId(), emptyToNull(spec.cellId()), spec.cores(),
                spec.memoryBytes(), List.copyOf(disks), profile, emptyToNull(spec.addressPoolId()), spec.autoStart(),
                emptyToNull(spec.address()), init, qos, media(spec.media()), bootFrom(spec.bootFrom()));
        if (checked.addressPoolId() != null) {
            try {
                addressPools().get(checked.addressPoolId());
            } catch (SkiffException e) {
                throw new SkiffException(e.kind(), e.code(), e.getMessage(), "addressPoolId");
            }
        }
        java.util.Optional<String> addressPool = addressPoolOf(checked);
        if (checked.address() != null) {
            if (addressPool.isEmpty()) {
                throw SkiffException.invalid("address", "compute pool '" + checked.poolId()
                        + "' has no address pool; name one in addressPoolId");
            }
            // fail fast when taken or outside; the allocation step checks again under the provider's lock
            addressPools().checkAvailable(addressPool.get(), checked.address());
        }
        return checked;
    }

    /** @return the id of the medium named by id or name ({@code null} for none); 404 {@code media} when unknown */
    private String media(String idOrName) {
        if (idOrName == null || idOrName.isEmpty()) {
            return null;
        }
        return media().get(idOrName).id();
    }

    private io.skiff.core.internal.image.MediaCatalog media() {
        io.skiff.core.internal.image.MediaCatalog m = mediaCatalog;
        if (m == null) {
            throw SkiffException.unavailable("the media catalogue is not available");
        }
        return m;
    }

    /** @return {@code disk} or {@code cdrom} ({@code null} means disk); 400 {@code bootFrom} otherwise */
    static String bootFrom(String value) {
        if (value == null || value.isEmpty()) {
            return InstanceSpec.BOOT_DISK;
        }
        if (!value.equals(InstanceSpec.BOOT_DISK) && !value.equals(InstanceSpec.BOOT_CDROM)) {
            throw SkiffException.invalid("bootFrom", "bootFrom is 'disk' or 'cdrom', not '" + value + "'");
        }
        return value;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private PlacementPolicy policy() {
        PlacementPolicy p = policies.get(config.placementPolicy());
        if (p == null) {
            throw SkiffException.providerUnavailable("PlacementPolicy", config.placementPolicy(), null);
        }
        return p;
    }

    // ---- create --------------------------------------------------------------------------------------------

    @Override
    public TaskInfo create(InstanceSpec requested, String user) {
        InstanceSpec spec = validate(requested);
        String group = groupOf(user);
        // fail fast when over quota or nothing fits; the reservation step checks both again under the lock
        checkQuota(user, group, spec, records());
        scheduler.place(spec, cells.list(), records(), policy());
        String id = UUID.randomUUID().toString();
        List<TaskStep> steps = new ArrayList<>();
        steps.add(InstanceSteps.step("place and reserve", "instance.reserve", ctx -> reserve(ctx, id, spec, user, group),
                this::unreserve));
        steps.add(InstanceSteps.step("allocate address", "address.allocate", ctx -> allocateAddress(ctx, id, spec),
                this::releaseAddress));
        steps.add(InstanceSteps.step("create volumes", "cell.disks", ctx -> {
            recordTarget(ctx, id);
            failIfInjected("cell.disks", spec.name());
            calls.call(cellOf(ctx), CellProtocol.PREPARE_DISKS, cellSpec(id, spec), PreparedDisks.class);
        }, this::deleteDisks));
        steps.add(InstanceSteps.step("define domain", "cell.define", ctx -> {
            recordTarget(ctx, id);
            failIfInjected("cell.define", spec.name());
            calls.call(cellOf(ctx), CellProtocol.DEFINE, cellSpec(id, spec), Ack.class);
        }, this::undefine));
        steps.add(InstanceSteps.step("start domain", "cell.start", ctx -> {
            recordTarget(ctx, id);
            failIfInjected("cell.start", spec.name());
            calls.call(cellOf(ctx), CellProtocol.START, InstanceAction.of(id), Ack.class);
        }, this::forceStop));
        steps.add(InstanceSteps.step("mark running", "instance.state", ctx -> setState(id, InstanceState.RUNNING, null),
                ctx -> { }));
        TaskInfo task = engine.submit(new TaskRequest("instance.create", Set.of("instance:" + id,
                "instance-name:" + spec.name()), user, steps));
        LOG.info("instance {} ({}) create queued as task {}", spec.name(), id, task.id());
        return task;
    }

    private String groupOf(String user) {
        IdentityService i = identity;
        return i == null ? user : i.groupOf(user);
    }

    static ResourceUsage usage(InstanceSpec spec) {
        long disk = spec.disks().stream().mapToLong(DiskSpec::sizeBytes).sum();
        return new ResourceUsage(1, spec.cores(), spec.memoryBytes(), disk);
    }

    /** Refuses (quota-exceeded, naming the quota and by how much) a create beyond the user's or group's quota. */
    private void checkQuota(String user, String group, InstanceSpec spec, List<InstanceRecord> current) {
        IdentityService i = identity;
        if (i == null) {
            return;
        }
        ResourceUsage byUser = ResourceUsage.NONE;
        ResourceUsage byGroup = ResourceUsage.NONE;
        for (InstanceRecord r : current) {
            if (user.equals(r.owner())) {
                byUser = byUser.plus(usage(r.spec()));
            }
            if (group.equals(r.group())) {
                byGroup = byGroup.plus(usage(r.spec()));
            }
        }
        i.checkQuota(user, group, byUser, byGroup, usage(spec));
    }

    private void reserve(StepContext ctx, String id, InstanceSpec spec, String user, String group) {
        ctx.record("instance", id);
        scheduler.placeAndReserve(spec, cells::list, () -> {
            if (records().stream().anyMatch(r -> r.spec().name().equals(spec.name()))) {
                throw SkiffException.conflict("name", "instance '" + spec.name() + "' already exists");
            }
            checkQuota(user, group, spec, records());
            return records();
        }, policy(), cell -> {
            ctx.record("cell", cell.id());
            Instant now = clock.instant();
            save(new InstanceRecord(id, spec, cell.id(), user, group,
                    InstanceState.CREATING, null, ctx.taskId(), now, now));
            LOG.info("instance {} ({}) placed on cell {}", spec.name(), id, cell.id());
        });
    }

    /** Records pool and holder before binding, so that the undo releases the address even after a crash. */
    private void allocateAddress(StepContext ctx, String id, InstanceSpec spec) {
        java.util.Optional<String> pool = addressPoolOf(spec);
        if (pool.isEmpty()) {
            ctx.progress(100, "no address pool");
            return;
        }
        ctx.record("instance", id);
        ctx.record("addressPool", pool.get());
        failIfInjected("address.allocate");
        String address = addressPools().allocate(pool.get(), id, spec.address());
        ctx.record("address", address);
        LOG.info("instance {} ({}): address {} of address pool {}", spec.name(), id, address, pool.get());
    }

    private void releaseAddress(StepContext ctx) {
        String pool = ctx.data().get("addressPool");
        String id = ctx.data().get("instance");
        if (pool != null && id != null) {
            addressPools().release(pool, id);
        }
    }

    /** Undo of a release: binds the recorded address again (it is still free unless someone took it since). */
    private void rebindReleased(StepContext ctx) {
        String pool = ctx.data().get("addressPool");
        String id = ctx.data().get("instance");
        String address = ctx.data().get("address");
        if (pool != null && id != null && address != null) {
            addressPools().allocate(pool, id, address);
        }
    }

    private void unreserve(StepContext ctx) {
        String id = ctx.data().get("instance");
        if (id != null) {
            remove(id);
            observed.remove(id);
            observedAt.remove(id);
        }
    }

    /** Records, before acting, which cell and instance a step touches, so its undo works after a crash. */
    private void recordTarget(StepContext ctx, String id) {
        InstanceRecord r = find(id)
                .orElseThrow(() -> SkiffException.notFound("instance", id));
        ctx.record("instance", id);
        ctx.record("cell", r.cellId());
    }

    private static String cellOf(StepContext ctx) {
        return ctx.data().get("cell");
    }

    private void deleteDisks(StepContext ctx) {
        if (cellOf(ctx) != null) {
            calls.call(cellOf(ctx), CellProtocol.DELETE_DISKS, InstanceAction.of(ctx.data().get("instance")), Ack.class);
        }
    }

    private void undefine(StepContext ctx) {
        if (cellOf(ctx) != null) {
            calls.call(cellOf(ctx), CellProtocol.UNDEFINE, InstanceAction.of(ctx.data().get("instance")), Ack.class);
        }
    }

    private void forceStop(StepContext ctx) {
        if (cellOf(ctx) != null) {
            calls.call(cellOf(ctx), CellProtocol.STOP, new InstanceAction(ctx.data().get("instance"), 0, true),
                    Ack.class);
        }
    }

    /** @return the handlers that undo this manager's steps from their recorded data, after a restart */
    public List<UndoHandler> undoHandlers() {
        return List.of(InstanceSteps.undoHandler("instance.reserve", this::unreserve),
                InstanceSteps.undoHandler("address.allocate", this::releaseAddress),
                InstanceSteps.undoHandler("address.release", this::rebindReleased),
                InstanceSteps.undoHandler("address.rebind", this::rebindBack),
                InstanceSteps.undoHandler("cell.disks", this::deleteDisks),
                InstanceSteps.undoHandler("cell.define", this::undefine),
                InstanceSteps.undoHandler("cell.start", this::forceStop),
                InstanceSteps.undoHandler("instance.state", ctx -> restoreState(ctx)),
                InstanceSteps.undoHandler("image.capture", this::abandonCapture),
                InstanceSteps.undoHandler("media.reserve", this::releaseMedia),
                InstanceSteps.undoHandler("media.change", this::changeMediaBack),
                InstanceSteps.undoHandler("instance.disk.add", this::removeAddedDisk),
                InstanceSteps.undoHandler("instance.disk.record", this::unrecordAddedDisk),
                InstanceSteps.undoHandler("instance.disk.unrecord", this::rerecordRemovedDisk),
                // steps that take nothing (power actions of start/stop/delete) have nothing to give back
                InstanceSteps.undoHandler("noop", ctx -> { }));
    }

    private void failIfInjected(String kind) {
        failIfInjected(kind, null);
    }

    private void failIfInjected(String kind, String instanceName) {
        String only = config.failInstance();
        if (kind.equals(config.failStep())
                && (only == null || only.isEmpty() || only.equals(instanceName))) {
            throw new SkiffException(SkiffException.Kind.INTERNAL, "injected",
                    "failure injected in step " + kind + " (test setting failStep)", null);
        }
    }

    private CellInstanceSpec cellSpec(String id, InstanceSpec spec) {
        List<CellDisk> disks = new ArrayList<>();
        for (int i = 0; i < spec.disks().size(); i++) {
            DiskSpec d = spec.disks().get(i);
            ImageSource source = null;
            if (d.imageId() != null) {
                DiskImage image = images.get(d.imageId());
                source = new ImageSource(image.id(), coreUrl() + "/api/v1/images/" + image.id() + "/content",
                        images.transferToken(image.id()), image.sha256(), image.format());
            }
            disks.add(new CellDisk(InstanceRecord.volumeName(id, i), d.storagePool(), d.sizeBytes(), source,
                    source != null && !d.linkedClone()));
        }
        GuestProfile profile = profiles.get(spec.profile());
        String diskBus = profile == null ? "virtio" : profile.devices().diskBus();
        return new CellInstanceSpec(id, spec.name(), spec.cores(), spec.memoryBytes(), spec.profile(), disks,
                spec.autoStart(), cellAddress(id, spec), GuestInits.toSpec(spec.guestInit(), diskBus), spec.qos(),
                mediaSource(spec.media()), spec.bootFrom());
    }

    /** Where the cell fetches a medium (a fresh one-time token), or {@code null} for an empty drive. */
    private ImageSource mediaSource(String mediaId) {
        if (mediaId == null) {
            return null;
        }
        io.skiff.core.internal.image.MediaCatalog catalog = mediaCatalog;
        if (catalog == null) {
            LOG.warn("medium {} stays out of the media drive: the media catalogue is not available", mediaId);
            return null;
        }
        io.skiff.api.model.MediaImage medium = catalog.get(mediaId);
        return new ImageSource(medium.id(), coreUrl() + "/api/v1/media/" + medium.id() + "/content",
                catalog.transferToken(medium.id()), medium.sha256(), "iso");
    }

    /** The lease the cell serves: the instance's binding with its pool's gateway, DNS and domain. */
    private CellAddress cellAddress(String id, InstanceSpec spec) {
        AddressPoolProvider provider = addressPools;
        if (provider == null) {
            return null;
        }
        return provider.bindingOf(id).map(b -> {
            AddressPool pool = provider.get(b.poolId());
            return new CellAddress(pool.id(), b.address(), pool.prefixLength(), pool.gateway(), pool.dnsServers(),
                    pool.domain(), hostname(spec.name()));
        }).orElse(null);
    }

    /** Instance names may hold '_' and '.', which are no hostname characters. */
    static String hostname(String name) {
        String h = name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]", "-").replaceAll("^-+|-+$", "");
        if (h.length() > 63) {
            h = h.substring(0, 63).replaceAll("-+$", "");
        }
        return h.isEmpty() ? "instance" : h;
    }

    /** Where cells reach this Core's HTTP API: the cluster bind address and Karaf's HTTP port. */
    private String coreUrl() {
        String host = transport.members().stream().filter(ClusterMember::local).map(ClusterMember::address)
                .map(a -> a.contains(":") ? a.substring(0, a.lastIndexOf(':')) : a).findFirst().orElse("127.0.0.1");
        String port = "8181";
        try {
            Configuration web = configAdmin == null ? null : configAdmin.getConfiguration("org.ops4j.pax.web", null);
            if (web != null && web.getProperties() != null && web.getProperties().get("org.osgi.service.http.port") != null) {
                port = String.valueOf(web.getProperties().get("org.osgi.service.http.port"));
            }
        } catch (Exception e) {
            LOG.debug("no HTTP port in Config Admin: {}", e.toString());
        }
        return "http://" + host + ":" + port;
    }

    // ---- other operations ----------------------------------------------------------------------------------

    private void setState(String id, InstanceState state, String error) {
        find(id).ifPresent(r -> save(r.with(state, error, null, clock.instant())));
    }

    /** Marks the instance as a task works on it; undo puts the previous state back. */
    private TaskStep mark(String id, InstanceState transitional) {
        return InstanceSteps.step("mark " + transitional.name().toLowerCase(), "instance.state", ctx -> {
            InstanceRecord r = record(id);
            ctx.record("instance", id);
            ctx.record("previous", r.state().name());
            save(r.with(transitional, null, ctx.taskId(), clock.instant()));
        }, this::restoreState);
    }

    private void restoreState(StepContext ctx) {
        String id = ctx.data().get("instance");
        String previous = ctx.data().get("previous");
        if (id != null && previous != null) {
            setState(id, InstanceState.valueOf(previous), null);
        }
    }

    private TaskStep cellAction(String name, String kind, String id, String type, InstanceAction action) {
        return InstanceSteps.step(name, kind, ctx -> {
            recordTarget(ctx, id);
            calls.call(cellOf(ctx), type, action, Ack.class);
        }, ctx -> { });
    }

    private TaskInfo submit(String name, InstanceRecord r, String user, List<TaskStep> steps) {
        TaskInfo task = engine.submit(new TaskRequest(name, Set.of("instance:" + r.id()), user, steps));
        LOG.info("instance {} ({}) {} queued as task {}", r.spec().name(), r.id(), name, task.id());
        return task;
    }

    private InstanceRecord settled(String idOrName) {
        InstanceRecord r = record(idOrName);
        if (r.state() == InstanceState.CREATING || r.state() == InstanceState.DELETING) {
            throw SkiffException.conflict("instance", "instance '" + r.spec().name() + "' is "
                    + r.state().name().toLowerCase() + "; wait for task " + r.taskId());
        }
        return r;
    }

    @Override
    public TaskInfo start(String idOrName, String user) {
        InstanceRecord r = settled(idOrName);
        if (status(r).state() == InstanceState.RUNNING) {
            throw SkiffException.conflict("instance", "instance '" + r.spec().name() + "' is already running");
        }
        return submit("instance.start", r, user, List.of(mark(r.id(), InstanceState.STARTING),
                cellAction("start domain", "noop", r.id(), CellProtocol.START, InstanceAction.of(r.id())),
                InstanceSteps.step("mark running", "noop", ctx -> setState(r.id(), InstanceState.RUNNING, null),
                        ctx -> { })));
    }

    @Override
    public TaskInfo stop(String idOrName, boolean force, String user) {
        InstanceRecord r = settled(idOrName);
        if (status(r).state() == InstanceState.STOPPED) {
            throw SkiffException.conflict("instance", "instance '" + r.spec().name() + "' is already stopped");
        }
        return submit("instance.stop", r, user, List.of(mark(r.id(), InstanceState.STOPPING),
                cellAction(force ? "force off" : "shut down", "noop", r.id(), CellProtocol.STOP,
                        new InstanceAction(r.id(), config.stopTimeoutSeconds(), force)),
                InstanceSteps.step("mark stopped", "noop", ctx -> setState(r.id(), InstanceState.STOPPED, null),
                        ctx -> { })));
    }

    @Override
    public TaskInfo restart(String idOrName, String user) {
        InstanceRecord r = settled(idOrName);
        return submit("instance.restart", r, user, List.of(mark(r.id(), InstanceState.STOPPING),
                cellAction("shut down", "noop", r.id(), CellProtocol.STOP,
                        new InstanceAction(r.id(), config.stopTimeoutSeconds(), false)),
                cellAction("start domain", "noop", r.id(), CellProtocol.START, InstanceAction.of(r.id())),
                InstanceSteps.step("mark running", "noop", ctx -> setState(r.id(), InstanceState.RUNNING, null),
                        ctx -> { })));
    }

    @Override
    public TaskInfo delete(String idOrName, boolean force, String user) {
        InstanceRecord r = record(idOrName);
        if (r.state() == InstanceState.CREATING || r.state() == InstanceState.DELETING) {
            throw SkiffException.conflict("instance", "instance '" + r.spec().name() + "' is "
                    + r.state().name().toLowerCase() + "; wait for task " + r.taskId());
        }
        if (!force && status(r).state() == InstanceState.RUNNING) {
            throw SkiffException.conflict("force", "instance '" + r.spec().name()
                    + "' is running; stop it first or delete with force");
        }
        return submit("instance.delete", r, user, List.of(mark(r.id(), InstanceState.DELETING),
                cellAction("force off", "noop", r.id(), CellProtocol.STOP, new InstanceAction(r.id(), 0, true)),
                cellAction("remove domain", "noop", r.id(), CellProtocol.UNDEFINE, InstanceAction.of(r.id())),
                cellAction("delete volumes", "noop", r.id(), CellProtocol.DELETE_DISKS, InstanceAction.of(r.id())),
                InstanceSteps.step("release address", "address.release", ctx -> {
                    AddressPoolProvider provider = addressPools;
                    java.util.Optional<AddressBinding> b = provider == null ? java.util.Optional.empty()
                            : provider.bindingOf(r.id());
                    if (b.isPresent()) {
                        ctx.record("instance", r.id());
                        ctx.record("addressPool", b.get().poolId());
                        ctx.record("address", b.get().address());
                        provider.release(b.get().poolId(), r.id());
                    }
                }, this::rebindReleased),
                InstanceSteps.step("forget instance", "noop", ctx -> {
                    remove(r.id());
                    observed.remove(r.id());
                    observedAt.remove(r.id());
                }, ctx -> { })));
    }

    @Override
    public TaskInfo rebindAddress(String idOrName, String address, String user) {
        InstanceRecord r = settled(idOrName);
        if (address == null || address.isEmpty()) {
            throw SkiffException.invalid("address", "address is required");
        }
        AddressBinding held = addressPools().bindingOf(r.id()).orElseThrow(() -> SkiffException.conflict("address",
                "instance '" + r.spec().name() + "' has no address to move"));
        if (!held.address().equals(address)) {
            addressPools().checkAvailable(held.poolId(), address);
        }
        return submit("instance.rebind-address", r, user, List.of(
                InstanceSteps.step("rebind address", "address.rebind", ctx -> {
                    ctx.record("instance", r.id());
                    ctx.record("addressPool", held.poolId());
                    ctx.record("previous", held.address());
                    addressPools().rebind(held.poolId(), r.id(), address);
                }, this::rebindBack),
                InstanceSteps.step("give the cell the new lease", "noop", ctx -> {
                    InstanceRecord now = record(r.id());
                    recordTarget(ctx, r.id());
                    calls.call(now.cellId(), CellProtocol.DEFINE, cellSpec(now.id(), now.spec()), Ack.class);
                }, ctx -> { })));
    }

    private void rebindBack(StepContext ctx) {
        String pool = ctx.data().get("addressPool");
        String id = ctx.data().get("instance");
        String previous = ctx.data().get("previous");
        if (pool != null && id != null && previous != null) {
            addressPools().rebind(pool, id, previous);
        }
    }

    @Override
    public InstanceStatus modify(String idOrName, String name, Integer cores, Long memoryBytes) {
        return scheduler.locked(() -> {
            InstanceRecord r = settled(idOrName);
            if (status(r).state() != InstanceState.STOPPED) {
                throw SkiffException.conflict("instance", "instance '" + r.spec().name()
                        + "' must be stopped to change it");
            }
            InstanceSpec s = r.spec();
            String newName = name == null ? s.name() : Names.require("name", name);
            if (!newName.equals(s.name()) && records().stream().anyMatch(o -> o.spec().name().equals(newName))) {
                throw SkiffException.conflict("name", "instance '" + newName + "' already exists");
            }
            int newCores = cores == null ? s.cores() : cores;
            long newMemory = memoryBytes == null ? s.memoryBytes() : memoryBytes;
            if (newCores < 1 || newCores > MAX_CORES) {
                throw SkiffException.invalid("cores", "cores must be between 1 and " + MAX_CORES);
            }
            if (newMemory < MIN_MEMORY || newMemory > MAX_MEMORY) {
                throw SkiffException.invalid("memoryBytes", "memoryBytes must be between 16 MiB and 4 TiB");
            }
            InstanceSpec updated = s.withShape(newName, newCores, newMemory);
            io.skiff.api.model.Cell cell = cells.get(r.cellId());
            List<InstanceRecord> others = records().stream()
                    .filter(o -> r.cellId().equals(o.cellId()) && !o.id().equals(r.id())).toList();
            if (cell.resources() != null && !scheduler.fits(updated, cell, others)) {
                throw SkiffException.conflict("cores", "cell " + r.cellId() + " has no room for " + newCores
                        + " cores and " + (newMemory >> 20) + " MiB under its over-commit ratios");
            }
            calls.call(r.cellId(), CellProtocol.DEFINE, cellSpec(r.id(), updated), Ack.class);
            InstanceRecord changed = r.withSpec(updated, clock.instant());
            save(changed);
            LOG.info("instance {} ({}) changed: {} cores, {} MiB", newName, r.id(), newCores, newMemory >> 20);
            return status(changed);
        });
    }

    @Override
    public TaskInfo resizeDisk(String idOrName, int disk, long sizeBytes, String user) {
        InstanceRecord r = settled(idOrName);
        requireDisk(r, disk);
        long current = r.spec().disks().get(disk).sizeBytes();
        if (sizeBytes == current) {
            throw SkiffException.invalid("sizeBytes", "disk " + disk + " of '" + r.spec().name() + "' is " + current
                    + " bytes already");
        }
        if (sizeBytes < MIN_DISK || sizeBytes > MAX_DISK) {
            throw SkiffException.invalid("sizeBytes", "disk size must be between 1 MiB and 64 TiB");
        }
        boolean shrink = sizeBytes < current;
        if (shrink) {
            requireShrinkable(r, disk, sizeBytes);
        }
        String verb = shrink ? "shrink" : "grow";
        return submit("instance.disk.resize", r, user, List.of(
                InstanceSteps.step(verb + " disk " + disk, "noop", ctx -> {
                    recordTarget(ctx, r.id());
                    Ack ack = calls.call(cellOf(ctx), CellProtocol.RESIZE_DISK,
                            new io.skiff.api.cell.DiskResize(r.id(), disk, sizeBytes), Ack.class);
                    ctx.progress(100, "disk " + disk + " " + (shrink ? "shrunk" : "grown " + ack.detail()));
                }, ctx -> { }),
                InstanceSteps.step("record size", "noop", ctx -> scheduler.locked(() -> {
                    InstanceRecord now = record(r.id());
                    List<DiskSpec> disks = new ArrayList<>(now.spec().disks());
                    DiskSpec d = disks.get(disk);
                    disks.set(disk, new DiskSpec(sizeBytes, d.storagePool(), d.imageId(), d.cloneMode()));
                    InstanceSpec sp = now.spec();
                    save(now.withSpec(withDisks(sp, disks), clock.instant()));
                    LOG.info("instance {} ({}): disk {} is {} bytes", sp.name(), r.id(), disk, sizeBytes);
                    return null;
                }), ctx -> { })));
    }

    /** @throws SkiffException {@code INVALID disk} when the instance has no disk {@code disk} */
    private static void requireDisk(InstanceRecord r, int disk) {
        if (disk < 0 || disk >= r.spec().disks().size()) {
            throw SkiffException.invalid("disk", "instance '" + r.spec().name() + "' has disks 0 to "
                    + (r.spec().disks().size() - 1));
        }
    }

    /** The spec with other disks (everything else, the address included, kept). */
    private static InstanceSpec withDisks(InstanceSpec sp, List<DiskSpec> disks) {
        return sp.withDisks(disks);
    }

    /**
     * A disk shrinks only on a stopped instance and never below where its data ends (asked of the cell before the
     * task, so a refusal is a 4xx that changes nothing).
     */
    private void requireShrinkable(InstanceRecord r, int disk, long sizeBytes) {
        if (status(r).state() != InstanceState.STOPPED) {
            throw SkiffException.conflict("instance", "instance '" + r.spec().name()
                    + "' must be stopped to shrink a disk");
        }
        io.skiff.api.cell.DiskUsage usage = calls.call(r.cellId(), CellProtocol.DISK_USAGE,
                new io.skiff.api.cell.DiskUsageRequest(r.id(), disk), io.skiff.api.cell.DiskUsage.class);
        if (sizeBytes < usage.dataEndBytes()) {
            throw SkiffException.invalid("sizeBytes", "disk " + disk + " of '" + r.spec().name()
                    + "' holds data up to byte " + usage.dataEndBytes() + "; it cannot shrink to " + sizeBytes
                    + " bytes (compact gives back unused space instead)");
        }
    }

    @Override
    public TaskInfo addDisk(String idOrName, long sizeBytes, String storagePool, String user) {
        InstanceRecord r = settled(idOrName);
        if (sizeBytes < MIN_DISK || sizeBytes > MAX_DISK) {
            throw SkiffException.invalid("sizeBytes", "disk size must be between 1 MiB and 64 TiB");
        }
        if (r.spec().disks().size() >= MAX_DISKS) {
            throw SkiffException.invalid("disks", "instance '" + r.spec().name() + "' already has " + MAX_DISKS
                    + " disks, the most an instance may have");
        }
        if (storagePool != null && !storagePool.isEmpty()) {
            Names.require("storagePool", storagePool);
        }
        String pool = storagePool == null || storagePool.isEmpty() ? null : storagePool;
        return submit("instance.disk.add", r, user, List.of(
                InstanceSteps.step("add data disk", "instance.disk.add", ctx -> {
                    recordTarget(ctx, r.id());
                    int index = record(r.id()).spec().disks().size();
                    ctx.record("disk", Integer.toString(index));
                    Ack ack = calls.call(cellOf(ctx), CellProtocol.ADD_DISK, new io.skiff.api.cell.DiskAdd(r.id(),
                            new CellDisk(null, pool, sizeBytes, null, false)), Ack.class);
                    ctx.record("added", "true");
                    ctx.progress(100, "disk " + index + " added " + ack.detail());
                }, this::removeAddedDisk),
                InstanceSteps.step("record disk", "instance.disk.record", ctx -> scheduler.locked(() -> {
                    InstanceRecord now = record(r.id());
                    List<DiskSpec> disks = new ArrayList<>(now.spec().disks());
                    ctx.record("instance", r.id());
                    ctx.record("disk", Integer.toString(disks.size()));
                    disks.add(new DiskSpec(sizeBytes, pool, null, null));
                    save(now.withSpec(withDisks(now.spec(), disks), clock.instant()));
                    LOG.info("instance {} ({}): data disk {} of {} bytes added", now.spec().name(), r.id(),
                            disks.size() - 1, sizeBytes);
                    failIfInjected("instance.disk.record", now.spec().name());
                    return null;
                }), this::unrecordAddedDisk)));
    }

    /**
     * Undoes "add data disk": the cell detaches the disk, takes it out of the definition and deletes its volume.
     * Without the {@code added} mark the Core stopped while the cell was adding; the cell's add is all-or-nothing,
     * so the disk is either complete or not there at all, and a cell that has no such disk has nothing to give back.
     */
    private void removeAddedDisk(StepContext ctx) {
        String index = ctx.data().get("disk");
        if (cellOf(ctx) == null || index == null) {
            return;
        }
        try {
            calls.call(cellOf(ctx), CellProtocol.REMOVE_DISK, new io.skiff.api.cell.DiskRemove(
                    ctx.data().get("instance"), Integer.parseInt(index)), Ack.class);
        } catch (SkiffException e) {
            // the cell names the data disks it has when the index is past them: the add never happened
            if (ctx.data().containsKey("added") || e.getMessage() == null
                    || !e.getMessage().contains("has data disks")) {
                throw e;
            }
            LOG.info("instance {}: data disk {} was never added on cell {}; nothing to remove",
                    ctx.data().get("instance"), index, cellOf(ctx));
        }
    }

    /** Undoes "record disk": the Core's definition loses the disk it gained (only that one, only if it is there). */
    private void unrecordAddedDisk(StepContext ctx) {
        String id = ctx.data().get("instance");
        String index = ctx.data().get("disk");
        if (id == null || index == null) {
            return;
        }
        int disk = Integer.parseInt(index);
        scheduler.locked(() -> {
            find(id).ifPresent(now -> {
                List<DiskSpec> disks = new ArrayList<>(now.spec().disks());
                if (disks.size() == disk + 1) {
                    disks.remove(disk);
                    save(now.withSpec(withDisks(now.spec(), disks), clock.instant()));
                    LOG.info("instance {} ({}): data disk {} taken out of the definition again", now.spec().name(),
                            id, disk);
                }
            });
            return null;
        });
    }

    @Override
    public TaskInfo compactDisk(String idOrName, int disk, String user) {
        InstanceRecord r = settled(idOrName);
        requireDisk(r, disk);
        if (status(r).state() != InstanceState.STOPPED) {
            throw SkiffException.conflict("instance", "instance '" + r.spec().name()
                    + "' must be stopped to compact a disk");
        }
        // nothing to undo: the cell writes the compacted copy beside the volume and renames it over the original
        // in one atomic step, so a failure or a crash at any point leaves either the old volume or the new one,
        // both holding the same data
        return submit("instance.disk.compact", r, user, List.of(
                InstanceSteps.step("compact disk " + disk, "noop", ctx -> {
                    recordTarget(ctx, r.id());
                    Ack ack = calls.call(cellOf(ctx), CellProtocol.COMPACT_DISK,
                            new io.skiff.api.cell.DiskCompact(r.id(), disk), Ack.class);
                    String[] bytes = ack.detail().split(" ");
                    ctx.record("bytesBefore", bytes[0]);
                    ctx.record("bytesAfter", bytes[1]);
                    ctx.progress(100, "disk " + disk + " compacted from " + bytes[0] + " to " + bytes[1]
                            + " bytes on disk");
                }, ctx -> { })));
    }

    @Override
    public TaskInfo removeDisk(String idOrName, int disk, String user) {
        InstanceRecord r = settled(idOrName);
        int count = r.spec().disks().size();
        if (disk == 0) {
            throw SkiffException.invalid("disk", "disk 0 is the system disk of '" + r.spec().name()
                    + "'; it is never removed");
        }
        if (disk < 0 || disk >= count) {
            throw SkiffException.invalid("disk", count == 1 ? "instance '" + r.spec().name() + "' has no data disks"
                    : "instance '" + r.spec().name() + "' has data disks 1 to " + (count - 1));
        }
        // The Core's record goes first and can be given back; the cell's removal goes last because it cannot: it
        // deletes the volume as its final act, and once the data is gone no undo can bring it back. A cell that
        // fails before that changes nothing (its detach and redefinition come first and fail whole), so the record
        // is restored and the disk stays. After a Core crash during the cell's removal the rollback asks the cell
        // how many disks it has before it puts the disk back in the record (see rerecordRemovedDisk).
        return submit("instance.disk.remove", r, user, List.of(
                InstanceSteps.step("record removal", "instance.disk.unrecord", ctx -> scheduler.locked(() -> {
                    InstanceRecord now = record(r.id());
                    List<DiskSpec> disks = new ArrayList<>(now.spec().disks());
                    DiskSpec removed = disks.remove(disk);
                    ctx.record("instance", r.id());
                    ctx.record("disk", Integer.toString(disk));
                    ctx.record("disks", Integer.toString(disks.size()));
                    ctx.record("sizeBytes", Long.toString(removed.sizeBytes()));
                    if (removed.storagePool() != null) {
                        ctx.record("storagePool", removed.storagePool());
                    }
                    if (removed.imageId() != null) {
                        ctx.record("imageId", removed.imageId());
                    }
                    if (removed.cloneMode() != null) {
                        ctx.record("cloneMode", removed.cloneMode());
                    }
                    save(now.withSpec(withDisks(now.spec(), disks), clock.instant()));
                    return null;
                }), this::rerecordRemovedDisk),
                InstanceSteps.step("remove data disk " + disk, "noop", ctx -> {
                    recordTarget(ctx, r.id());
                    failIfInjected("instance.disk.remove", r.spec().name());
                    Ack ack = calls.call(cellOf(ctx), CellProtocol.REMOVE_DISK,
                            new io.skiff.api.cell.DiskRemove(r.id(), disk), Ack.class);
                    LOG.info("instance {} ({}): data disk {} removed", r.spec().name(), r.id(), disk);
                    ctx.progress(100, "disk " + disk + " removed " + ack.detail());
                }, ctx -> { })));
    }

    /**
     * Undoes "record removal": the disk goes back into the Core's definition at its place, unless the cell has
     * already removed it (the Core stopped while the cell was removing, and the cell finished): then the volume is
     * gone, nothing can bring it back, and the record stays as the cell is. The cell is asked for its last disk
     * before the removal; a cell that names fewer disks has removed one. A cell that cannot be asked is taken to
     * still have the disk (a removal fails whole on the cell until its last act).
     */
    private void rerecordRemovedDisk(StepContext ctx) {
        String id = ctx.data().get("instance");
        String index = ctx.data().get("disk");
        String left = ctx.data().get("disks");
        if (id == null || index == null || left == null) {
            return;
        }
        int disk = Integer.parseInt(index);
        int before = Integer.parseInt(left) + 1;
        String cell = find(id).map(InstanceRecord::cellId).orElse(null);
        if (cell != null) {
            try {
                calls.call(cell, CellProtocol.DISK_USAGE, new io.skiff.api.cell.DiskUsageRequest(id, before - 1),
                        io.skiff.api.cell.DiskUsage.class);
            } catch (SkiffException e) {
                if (e.getMessage() != null && e.getMessage().contains("has disks 0 to " + (before - 2))) {
                    LOG.warn("instance {}: cell {} had already removed data disk {} (its volume is deleted); the "
                            + "removal stays", id, cell, disk);
                    return;
                }
                LOG.warn("instance {}: cannot ask cell {} for its disks ({}); data disk {} goes back in the record",
                        id, cell, e.getMessage(), disk);
            }
        }
        scheduler.locked(() -> {
            find(id).ifPresent(now -> {
                List<DiskSpec> disks = new ArrayList<>(now.spec().disks());
                if (disks.size() == Integer.parseInt(left) && disk <= disks.size()) {
                    disks.add(disk, new DiskSpec(Long.parseLong(ctx.data().get("sizeBytes")),
                            ctx.data().get("storagePool"), ctx.data().get("imageId"), ctx.data().get("cloneMode")));
                    save(now.withSpec(withDisks(now.spec(), disks), clock.instant()));
                    LOG.info("instance {} ({}): data disk {} back in the definition", now.spec().name(), id, disk);
                }
            });
            return null;
        });
    }

    // ---- media drive ---------------------------------------------------------------------------------------

    @Override
    public TaskInfo insertMedia(String idOrName, String mediaIdOrName, String user) {
        InstanceRecord r = settled(idOrName);
        io.skiff.api.model.MediaImage medium = media().get(mediaIdOrName);
        return changeMedia(r, medium.id(), "insert medium " + medium.name(), "instance.media.insert", user);
    }

    @Override
    public TaskInfo ejectMedia(String idOrName, String user) {
        InstanceRecord r = settled(idOrName);
        if (r.spec().media() == null) {
            throw SkiffException.conflict("media", "the media drive of instance '" + r.spec().name()
                    + "' is empty; there is nothing to eject");
        }
        return changeMedia(r, null, "eject medium", "instance.media.eject", user);
    }

    /**
     * An insert reserves the medium first (undo: the reservation ends), so that deleting it is refused from then on;
     * then the cell changes the drive (undo: it puts the previous medium back), then the record follows. The
     * reservation, the record step and the delete check all run under the media catalogue's lock (see
     * {@link io.skiff.core.internal.image.MediaCatalog#recordInserted}): a delete sees the reservation or the record.
     */
    private TaskInfo changeMedia(InstanceRecord r, String mediaId, String stepName, String taskName, String user) {
        List<TaskStep> steps = new ArrayList<>();
        if (mediaId != null) {
            steps.add(InstanceSteps.step("reserve medium", "media.reserve", ctx -> {
                recordTarget(ctx, r.id());
                ctx.record("reservedMedia", mediaId);
                media().reserve(mediaId, r.id(), r.spec().name());
            }, this::releaseMedia));
        }
        steps.add(InstanceSteps.step(stepName, "media.change", ctx -> {
            recordTarget(ctx, r.id());
            String previous = record(r.id()).spec().media();
            ctx.record("previousMedia", previous == null ? "" : previous);
            Ack ack = calls.call(cellOf(ctx), CellProtocol.CHANGE_MEDIA,
                    new io.skiff.api.cell.MediaChange(r.id(), mediaSource(mediaId)), Ack.class);
            ctx.record("drive", ack.detail()); // live, or offline (the definition only)
            ctx.progress(100, (mediaId == null ? "drive emptied " : "medium inserted ") + ack.detail());
        }, this::changeMediaBack));
        steps.add(InstanceSteps.step("record medium", "noop", ctx -> scheduler.locked(() -> {
            Runnable recordIt = () -> {
                InstanceRecord now = record(r.id());
                save(now.withSpec(now.spec().withMedia(mediaId), clock.instant()));
                LOG.info("instance {} ({}): media drive {}", now.spec().name(), r.id(),
                        mediaId == null ? "empty" : "holds medium " + mediaId);
            };
            if (mediaId == null) {
                recordIt.run();
            } else {
                media().recordInserted(mediaId, r.id(), recordIt);
            }
            return null;
        }), ctx -> { }));
        return submit(taskName, r, user, steps);
    }

    /** Undo of a medium's reservation (also after a restart, when there is none any more: nothing to do). */
    private void releaseMedia(StepContext ctx) {
        String id = ctx.data().get("instance");
        String reserved = ctx.data().get("reservedMedia");
        io.skiff.core.internal.image.MediaCatalog catalog = mediaCatalog;
        if (id != null && reserved != null && catalog != null) {
            catalog.release(reserved, id);
        }
    }

    /** Undo of a media change: the drive gets the medium it held before (or is emptied). */
    private void changeMediaBack(StepContext ctx) {
        String id = ctx.data().get("instance");
        String previous = ctx.data().get("previousMedia");
        if (cellOf(ctx) == null || id == null || previous == null) {
            return;
        }
        ImageSource source = null;
        if (!previous.isEmpty()) {
            try {
                source = mediaSource(previous);
            } catch (SkiffException e) {
                LOG.warn("instance {}: medium {} is gone; the drive is left empty", id, previous);
            }
        }
        calls.call(cellOf(ctx), CellProtocol.CHANGE_MEDIA, new io.skiff.api.cell.MediaChange(id, source), Ack.class);
    }

    @Override
    public InstanceStatus setBootFrom(String idOrName, String bootFrom) {
        if (bootFrom == null || bootFrom.isEmpty()) {
            throw SkiffException.invalid("bootFrom", "bootFrom ('disk' or 'cdrom') is required");
        }
        String device = bootFrom(bootFrom);
        return scheduler.locked(() -> {
            InstanceRecord r = settled(idOrName);
            if (status(r).state() != InstanceState.STOPPED) {
                throw SkiffException.conflict("instance", "instance '" + r.spec().name()
                        + "' must be stopped to change what it boots from");
            }
            InstanceSpec updated = r.spec().withBootFrom(device);
            calls.call(r.cellId(), CellProtocol.DEFINE, cellSpec(r.id(), updated), Ack.class);
            InstanceRecord changed = r.withSpec(updated, clock.instant());
            save(changed);
            LOG.info("instance {} ({}) boots from {}", updated.name(), r.id(), device);
            return status(changed);
        });
    }

    @Override
    public TaskInfo captureImage(String idOrName, String imageName, List<String> tags, String user) {
        InstanceRecord r = settled(idOrName);
        io.skiff.core.internal.Names.require("name", imageName);
        for (String tag : tags) {
            io.skiff.core.internal.Names.require("tags", tag);
        }
        if (status(r).state() != InstanceState.STOPPED) {
            throw SkiffException.conflict("instance", "instance '" + r.spec().name()
                    + "' must be stopped to build an image from its disk");
        }
        if (images.list().stream().anyMatch(i -> i.name().equals(imageName))) {
            throw SkiffException.conflict("name", "image '" + imageName + "' already exists");
        }
        String imageId = java.util.UUID.randomUUID().toString();
        TaskInfo task = engine.submit(new TaskRequest("image.capture", Set.of("instance:" + r.id(),
                "image:" + imageName), user, List.of(InstanceSteps.step("copy system disk to image " + imageName,
                        "image.capture", ctx -> {
                            recordTarget(ctx, r.id());
                            ctx.record("image", imageId);
                            String token = images.expectCapture(imageId, imageName, tags, user, (bytes, total) ->
                                    ctx.progress(total > 0 ? (int) Math.min(99, bytes * 100 / total) : 50,
                                            bytes + " bytes received"));
                            calls.call(cellOf(ctx), CellProtocol.CAPTURE_DISK, new io.skiff.api.cell.DiskCapture(
                                    r.id(), 0, coreUrl() + "/api/v1/images/" + imageId + "/content", token),
                                    Ack.class);
                            images.get(imageId); // registered by the upload, else this step fails
                            ctx.progress(100, "image " + imageName + " ready");
                        }, this::abandonCapture))));
        LOG.info("instance {} ({}): image {} capture queued as task {}", r.spec().name(), r.id(), imageName,
                task.id());
        return task;
    }

    private void abandonCapture(StepContext ctx) {
        String imageId = ctx.data().get("image");
        if (imageId != null) {
            images.abandonCapture(imageId);
        }
    }

    // ---- snapshots -----------------------------------------------------------------------------------------

    private static final java.util.regex.Pattern SNAPSHOT_NAME =
            java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    @Override
    public List<io.skiff.api.model.Snapshot> snapshots(String idOrName) {
        InstanceRecord r = settled(idOrName);
        return calls.call(r.cellId(), CellProtocol.SNAPSHOT_LIST, InstanceAction.of(r.id()),
                io.skiff.api.cell.SnapshotList.class).snapshots();
    }

    private static String snapshotName(String name) {
        if (name == null || !SNAPSHOT_NAME.matcher(name).matches()) {
            throw SkiffException.invalid("name", "a snapshot name of letters, digits, '.', '_' and '-' "
                    + "(1 to 64, starting with a letter or digit) is required");
        }
        return name;
    }

    /** The snapshot of this instance (404 naming {@code snapshot} when it has none of that name). */
    private io.skiff.api.model.Snapshot snapshot(InstanceRecord r, String name) {
        if (name == null || name.isEmpty()) {
            throw SkiffException.invalid("snapshot", "a snapshot name is required");
        }
        return snapshots(r.id()).stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> SkiffException.notFound("snapshot", "snapshot of instance '"
                        + r.spec().name() + "'", name));
    }

    @Override
    public TaskInfo createSnapshot(String idOrName, String name, String description, String user) {
        InstanceRecord r = settled(idOrName);
        snapshotName(name);
        if (description != null && description.length() > 1024) {
            throw SkiffException.invalid("description", "description must be at most 1024 characters");
        }
        if (snapshots(r.id()).stream().anyMatch(s -> s.name().equals(name))) {
            throw SkiffException.conflict("name", "instance '" + r.spec().name() + "' already has a snapshot '"
                    + name + "'");
        }
        return submit("instance.snapshot-create", r, user, List.of(
                InstanceSteps.step("take snapshot " + name, "noop", ctx -> {
                    recordTarget(ctx, r.id());
                    ctx.progress(0, (status(r).state() == InstanceState.RUNNING ? "running guest: disks and memory"
                            : "stopped guest: disks") + " → snapshot " + name);
                    failIfInjected("cell.snapshot");
                    io.skiff.api.model.Snapshot s = calls.call(cellOf(ctx), CellProtocol.SNAPSHOT_CREATE,
                            new io.skiff.api.cell.SnapshotRequest(r.id(), name, description),
                            io.skiff.api.model.Snapshot.class);
                    ctx.record("snapshot", s.name());
                    ctx.progress(100, "snapshot " + name + " taken (" + s.instanceState() + ")");
                }, ctx -> { })));
    }

    @Override
    public TaskInfo revertSnapshot(String idOrName, String name, String user) {
        InstanceRecord r = settled(idOrName);
        io.skiff.api.model.Snapshot target = snapshot(r, name);
        InstanceState after = "running".equals(target.instanceState()) ? InstanceState.RUNNING : InstanceState.STOPPED;
        return submit("instance.snapshot-revert", r, user, List.of(mark(r.id(), InstanceState.STOPPING),
                InstanceSteps.step("revert to snapshot " + name, "noop", ctx -> {
                    recordTarget(ctx, r.id());
                    ctx.progress(0, "reverting disks" + (after == InstanceState.RUNNING ? " and memory" : ""));
                    calls.call(cellOf(ctx), CellProtocol.SNAPSHOT_REVERT,
                            new io.skiff.api.cell.SnapshotRequest(r.id(), name, null), Ack.class);
                    ctx.progress(100, "reverted to " + name);
                }, ctx -> { }),
                InstanceSteps.step("mark " + after.name().toLowerCase(), "noop",
                        ctx -> setState(r.id(), after, null), ctx -> { })));
    }

    @Override
    public TaskInfo deleteSnapshot(String idOrName, String name, String user) {
        InstanceRecord r = settled(idOrName);
        snapshot(r, name);
        return submit("instance.snapshot-delete", r, user, List.of(
                InstanceSteps.step("delete snapshot " + name, "noop", ctx -> {
                    recordTarget(ctx, r.id());
                    calls.call(cellOf(ctx), CellProtocol.SNAPSHOT_DELETE,
                            new io.skiff.api.cell.SnapshotRequest(r.id(), name, null), Ack.class);
                }, ctx -> { })));
    }

    // ---- QoS -----------------------------------------------------------------------------------------------

    @Override
    public io.skiff.api.model.QosChange setQos(String idOrName, io.skiff.api.model.Qos requested) {
        if (requested == null) {
            throw SkiffException.invalid("qos", "a QoS is required");
        }
        io.skiff.api.model.Qos qos = Qoses.validate(requested);
        return scheduler.locked(() -> {
            InstanceRecord r = settled(idOrName);
            InstanceSpec updated = r.spec().withQos(qos);
            // the definition carries it for every later start
            calls.call(r.cellId(), CellProtocol.DEFINE, cellSpec(r.id(), updated), Ack.class);
            save(r.withSpec(updated, clock.instant()));
            List<String> applied = List.of();
            List<String> nextStart = List.of("cpu priority " + qos.cpuPriority(), "disk limits", "network limits");
            if (status(r).state() == InstanceState.RUNNING) {
                io.skiff.api.cell.QosApplied live = calls.call(r.cellId(), CellProtocol.QOS_APPLY,
                        new io.skiff.api.cell.QosRequest(r.id(), qos), io.skiff.api.cell.QosApplied.class);
                applied = live.applied();
                nextStart = live.nextStart();
            }
            LOG.info("instance {} ({}) QoS changed: {}; live: {}; at next start: {}", r.spec().name(), r.id(), qos,
                    applied, nextStart);
            return new io.skiff.api.model.QosChange(r.id(), qos, !applied.isEmpty() && nextStart.isEmpty(), applied,
                    nextStart);
        });
    }

    // ---- guest agent ---------------------------------------------------------------------------------------

    private static final com.fasterxml.jackson.databind.ObjectMapper AGENT_JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private InstanceRecord running(String idOrName, String what) {
        InstanceRecord r = settled(idOrName);
        if (status(r).state() != InstanceState.RUNNING) {
            throw SkiffException.conflict("instance", "instance '" + r.spec().name() + "' is not running; " + what
                    + " goes through the QEMU guest agent inside a running guest");
        }
        return r;
    }

    private String agent(InstanceRecord r, Map<String, Object> command) {
        try {
            return agentCall(r, command);
        } catch (CellCalls.CellError e) {
            if ("no-guest-agent".equals(e.code()) || "guest-agent-failed".equals(e.code())) {
                // the guest runs no agent, or its agent refused the command: a conflict with the guest's state,
                // not an outage
                throw SkiffException.conflict("guestAgent", e.cellMessage());
            }
            throw e;
        }
    }

    private String agentCall(InstanceRecord r, Map<String, Object> command) {
        try {
            return calls.call(r.cellId(), CellProtocol.GUEST_AGENT, new io.skiff.api.cell.GuestAgentRequest(r.id(),
                    AGENT_JSON.writeValueAsString(command), 30), io.skiff.api.cell.GuestAgentReply.class).reply();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How long a guest-exec'd command may run before the Core gives up waiting for its exit status. */
    private static final long GUEST_EXEC_TIMEOUT_MILLIS = 30_000;

    /**
     * Runs a program in the guest through the agent's {@code guest-exec} (which only starts it and answers its
     * pid) and polls {@code guest-exec-status} until it has exited: a non-zero exit is a {@code CONFLICT} on
     * {@code guestAgent} with the program's error output, not a silent success.
     */
    private void guestExec(InstanceRecord r, String path, List<String> args, String what) {
        String started = agent(r, Map.of("execute", "guest-exec", "arguments", Map.of("path", path, "arg", args,
                "capture-output", true)));
        long pid = agentReturn(started).path("pid").asLong(-1);
        if (pid < 0) {
            throw SkiffException.conflict("guestAgent", "the guest agent of instance '" + r.spec().name()
                    + "' did not start the command: " + started);
        }
        long deadline = System.currentTimeMillis() + GUEST_EXEC_TIMEOUT_MILLIS;
        while (true) {
            com.fasterxml.jackson.databind.JsonNode status = agentReturn(agent(r, Map.of("execute",
                    "guest-exec-status", "arguments", Map.of("pid", pid))));
            if (status.path("exited").asBoolean(false)) {
                String problem = guestExecProblem(status);
                if (problem != null) {
                    throw SkiffException.conflict("guestAgent", "the guest of instance '" + r.spec().name()
                            + "' could not " + what + " (" + path + " " + problem + ")");
                }
                return;
            }
            if (System.currentTimeMillis() > deadline) {
                throw SkiffException.conflict("guestAgent", "the guest of instance '" + r.spec().name() + "' did not "
                        + "finish the command to " + what + " within " + GUEST_EXEC_TIMEOUT_MILLIS / 1000 + " s");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw SkiffException.unavailable("interrupted while waiting for the guest agent");
            }
        }
    }

    /**
     * @param status the {@code return} of {@code guest-exec-status} for an exited process
     * @return null when it exited with 0, else "exited with N: its error output" (or "killed by signal N")
     */
    static String guestExecProblem(com.fasterxml.jackson.databind.JsonNode status) {
        if (!status.has("exitcode") && status.has("signal")) {
            return "killed by signal " + status.path("signal").asInt();
        }
        int code = status.path("exitcode").asInt(-1);
        if (code == 0) {
            return null;
        }
        String err = decode(status.path("err-data").asText("")).strip();
        if (err.isEmpty()) {
            err = decode(status.path("out-data").asText("")).strip();
        }
        return "exited with " + code + (err.isEmpty() ? "" : ": " + (err.length() > 300 ? err.substring(0, 300) + "..."
                : err));
    }

    private static com.fasterxml.jackson.databind.JsonNode agentReturn(String reply) {
        try {
            return AGENT_JSON.readTree(reply == null ? "{}" : reply).path("return");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw SkiffException.unavailable("the guest agent answered something that is not JSON");
        }
    }

    private static String decode(String base64) {
        try {
            return new String(java.util.Base64.getDecoder().decode(base64), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    @Override
    public String resetGuestPassword(String idOrName, String user, String password) {
        GuestInits.user("user", user);
        // hashed here: the agent takes a crypt(3) hash, so the plain text never leaves the Core
        String hash = GuestInits.hash("password", password);
        InstanceRecord r = running(idOrName, "a password reset");
        agent(r, Map.of("execute", "guest-set-user-password", "arguments", Map.of("username", user,
                "password", java.util.Base64.getEncoder().encodeToString(
                        hash.getBytes(java.nio.charset.StandardCharsets.UTF_8)), "crypted", true)));
        LOG.info("instance {} ({}): password of guest user '{}' reset through the guest agent", r.spec().name(),
                r.id(), user);
        return "password of user '" + user + "' set in the guest";
    }

    @Override
    public String changeGuestHostname(String idOrName, String hostname) {
        GuestInits.hostname("hostname", hostname);
        InstanceRecord r = running(idOrName, "a host name change");
        // the name is checked above (letters, digits, '-', '.'), so it is safe inside the quotes
        guestExec(r, "/bin/sh", List.of("-c", "hostname '" + hostname + "' && echo '" + hostname
                + "' > /etc/hostname"), "set its host name");
        scheduler.locked(() -> {
            InstanceRecord now = record(r.id());
            io.skiff.api.model.GuestInit init = now.spec().guestInit();
            if (init != null) {
                save(now.withSpec(now.spec().withGuestInit(new io.skiff.api.model.GuestInit(hostname,
                        init.adminUser(), null, init.adminPasswordHash(), init.sshKeys(), init.mounts())),
                        clock.instant()));
            }
            return null;
        });
        LOG.info("instance {} ({}): guest host name set to {} through the guest agent", r.spec().name(), r.id(),
                hostname);
        return "host name set to " + hostname;
    }

    // ---- reset system --------------------------------------------------------------------------------------

    @Override
    public TaskInfo resetSystem(String idOrName, String user) {
        InstanceRecord r = settled(idOrName);
        if (r.spec().disks().get(0).imageId() == null) {
            throw SkiffException.conflict("instance", "instance '" + r.spec().name()
                    + "' has a blank system disk, not one from an image: there is nothing to reinstall");
        }
        images.get(r.spec().disks().get(0).imageId()); // 404 when the image is gone
        if (!snapshots(r.id()).isEmpty()) {
            throw SkiffException.conflict("instance", "instance '" + r.spec().name()
                    + "' has snapshots of its system disk; delete them before resetting the system");
        }
        boolean wasRunning = status(r).state() == InstanceState.RUNNING;
        List<TaskStep> steps = new ArrayList<>();
        steps.add(mark(r.id(), InstanceState.STOPPING));
        steps.add(cellAction("force off", "noop", r.id(), CellProtocol.STOP, new InstanceAction(r.id(), 0, true)));
        steps.add(InstanceSteps.step("reinstall system disk", "noop", ctx -> {
            recordTarget(ctx, r.id());
            ctx.progress(0, "new system disk from image " + r.spec().disks().get(0).imageId());
            calls.call(cellOf(ctx), CellProtocol.RESET_SYSTEM_DISK, cellSpec(r.id(), record(r.id()).spec()), Ack.class);
            ctx.progress(100, "system disk reinstalled");
        }, ctx -> { }));
        if (wasRunning) {
            steps.add(cellAction("start domain", "noop", r.id(), CellProtocol.START, InstanceAction.of(r.id())));
        }
        InstanceState after = wasRunning ? InstanceState.RUNNING : InstanceState.STOPPED;
        steps.add(InstanceSteps.step("mark " + after.name().toLowerCase(), "noop", ctx -> setState(r.id(), after, null),
                ctx -> { }));
        return submit("instance.reset-system", r, user, steps);
    }

    // ---- batches -------------------------------------------------------------------------------------------

    static final int MAX_BATCH = 100;
    private static final java.util.regex.Pattern COUNTER = java.util.regex.Pattern.compile("\\{(n+)\\}");

    /** The names a pattern gives for items 1..count. */
    static List<String> batchNames(String pattern, int count) {
        if (count < 1 || count > MAX_BATCH) {
            throw SkiffException.invalid("count", "count must be between 1 and " + MAX_BATCH);
        }
        if (pattern == null || !COUNTER.matcher(pattern).find()) {
            throw SkiffException.invalid("namePattern", "namePattern needs {n} (or {nn}, {nnn} zero-padded), "
                    + "e.g. web-{nn}");
        }
        List<String> names = new ArrayList<>();
        for (int n = 1; n <= count; n++) {
            int number = n;
            String name = COUNTER.matcher(pattern).replaceAll(m -> String.format("%0" + m.group(1).length() + "d",
                    number));
            try {
                Names.require("name", name);
            } catch (SkiffException e) {
                throw SkiffException.invalid("namePattern", "namePattern gives '" + name + "': " + e.getMessage());
            }
            names.add(name);
        }
        return names;
    }

    @Override
    public TaskInfo createBatch(InstanceSpec spec, String namePattern, int count, String user) {
        if (spec == null) {
            throw SkiffException.invalid("spec", "an instance spec is required");
        }
        List<String> names = batchNames(namePattern, count);
        for (String name : names) {
            if (records().stream().anyMatch(r -> r.spec().name().equals(name))) {
                throw SkiffException.conflict("namePattern", "instance '" + name + "' already exists");
            }
        }
        // the spec is checked once, with the first name, before anything is queued
        validate(rename(spec, names.get(0), 1));
        List<TaskStep> steps = new ArrayList<>();
        BatchRun run = new BatchRun(config.batchParallelism());
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            int number = i + 1;
            steps.add(batchItem(run, "create " + name, name, () -> create(rename(spec, name, number), user)));
        }
        return batch(run, "instance.batch-create", names, user, steps);
    }

    private static InstanceSpec rename(InstanceSpec s, String name, int n) {
        // a host name pattern is numbered like the names; without one, each guest is named after its instance
        io.skiff.api.model.GuestInit init = s.guestInit();
        if (init != null && init.hostname() != null && COUNTER.matcher(init.hostname()).find()) {
            init = new io.skiff.api.model.GuestInit(COUNTER.matcher(init.hostname()).replaceAll(
                    m -> String.format("%0" + m.group(1).length() + "d", n)), init.adminUser(), init.adminPassword(),
                    init.adminPasswordHash(), init.sshKeys(), init.mounts());
        }
        // a batch never takes one specific address for all its items
        return new InstanceSpec(name, s.poolId(), s.cellId(), s.cores(), s.memoryBytes(), s.disks(), s.profile(),
                s.addressPoolId(), s.autoStart(), null, init, s.qos(), s.media(), s.bootFrom());
    }

    @Override
    public TaskInfo stopBatch(List<String> instances, boolean force, String user) {
        List<String> names = batchTargets(instances);
        List<TaskStep> steps = new ArrayList<>();
        BatchRun run = new BatchRun(config.batchParallelism());
        for (String name : names) {
            steps.add(batchItem(run, "stop " + name, name, () -> stop(name, force, user)));
        }
        return batch(run, "instance.batch-stop", names, user, steps);
    }

    @Override
    public TaskInfo deleteBatch(List<String> instances, boolean force, String user) {
        List<String> names = batchTargets(instances);
        List<TaskStep> steps = new ArrayList<>();
        BatchRun run = new BatchRun(config.batchParallelism());
        for (String name : names) {
            steps.add(batchItem(run, "delete " + name, name, () -> delete(name, force, user)));
        }
        return batch(run, "instance.batch-delete", names, user, steps);
    }

    private List<String> batchTargets(List<String> instances) {
        if (instances == null || instances.isEmpty() || instances.size() > MAX_BATCH) {
            throw SkiffException.invalid("instances", "1 to " + MAX_BATCH + " instances are required");
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < instances.size(); i++) {
            String idOrName = instances.get(i);
            int index = i;
            if (idOrName == null || idOrName.isEmpty()) {
                throw SkiffException.invalid("instances." + i, "instance " + i + " is empty");
            }
            InstanceRecord r = find(idOrName).or(() -> records().stream()
                    .filter(o -> o.spec().name().equals(idOrName)).findFirst())
                    .orElseThrow(() -> SkiffException.notFound("instances." + index, "instance", idOrName));
            if (names.contains(r.spec().name())) {
                throw SkiffException.invalid("instances." + i, "instance '" + idOrName + "' is listed twice");
            }
            names.add(r.spec().name());
        }
        return names;
    }

    private interface ItemTask {
        TaskInfo submit();
    }

    /**
     * The items of one batch in flight: at most {@code parallelism} of their tasks at once. A slot is taken when an
     * item's task is queued and given back when that task ends (or its wait runs out).
     */
    private static final class BatchRun {
        final int parallelism;
        final java.util.concurrent.Semaphore slots;
        final List<java.util.concurrent.CompletableFuture<Void>> items =
                java.util.Collections.synchronizedList(new ArrayList<>());

        BatchRun(int parallelism) {
            this.parallelism = Math.max(1, parallelism);
            this.slots = new java.util.concurrent.Semaphore(this.parallelism);
        }
    }

    /** How long one item's task may take before the batch stops waiting for it (the task itself goes on). */
    private long itemTimeoutSeconds() {
        return Math.max(60, config.cellTimeoutSeconds()) * 4L;
    }

    /**
     * One item of a batch: its own task (all-or-nothing). The step waits for a free slot, queues the task and
     * returns; the task's end writes the outcome into the step's data ({@code RUNNING} until then) and frees the
     * slot. An item never fails the batch, so the other items stay.
     */
    private TaskStep batchItem(BatchRun run, String label, String name, ItemTask item) {
        return InstanceSteps.step(label, "noop", ctx -> {
            ctx.record("item", name);
            if (!run.slots.tryAcquire(itemTimeoutSeconds() * 2, java.util.concurrent.TimeUnit.SECONDS)) {
                ctx.record("outcome", "FAILED");
                ctx.record("error", "no free slot among the batch's " + run.parallelism + " in time; not started");
                return;
            }
            TaskInfo child;
            try {
                child = item.submit();
            } catch (RuntimeException e) {
                run.slots.release();
                ctx.record("outcome", "FAILED");
                ctx.record("error", e.getMessage() == null ? e.toString() : e.getMessage());
                LOG.info("batch {}: item {} refused: {}", ctx.taskId(), name, e.getMessage());
                return;
            }
            ctx.record("task", child.id());
            child.resources().stream().filter(r -> r.startsWith("instance:")).findFirst()
                    .ifPresent(r -> ctx.record("instance", r.substring("instance:".length())));
            ctx.record("outcome", "RUNNING");
            ctx.progress(100, label + ": task " + child.id());
            run.items.add(engine.completion(child.id())
                    .orTimeout(itemTimeoutSeconds(), java.util.concurrent.TimeUnit.SECONDS)
                    .handle((done, failure) -> {
                        try {
                            if (failure != null) {
                                ctx.record("outcome", "FAILED");
                                ctx.record("error", failure instanceof java.util.concurrent.TimeoutException
                                        ? "task " + child.id() + " did not finish in time; it goes on on its own"
                                        : "task " + child.id() + ": " + failure.getMessage());
                                return null;
                            }
                            boolean ok = done.state() == io.skiff.api.model.TaskState.SUCCEEDED;
                            if (!ok && done.error() != null) {
                                ctx.record("error", done.error());
                            }
                            ctx.record("outcome", ok ? "SUCCEEDED" : "FAILED");
                            LOG.info("batch {}: item {} {}", ctx.taskId(), name, ok ? "succeeded" : "failed");
                        } catch (RuntimeException e) {
                            // the batch's journal is gone (engine stopping): the restart rollback takes over
                            LOG.warn("batch {}: outcome of item {} not recorded: {}", ctx.taskId(), name,
                                    e.getMessage());
                        } finally {
                            run.slots.release();
                        }
                        return null;
                    }));
        }, ctx -> { });
    }

    /**
     * The parent task: its item steps queue the items' tasks (up to the batch's parallelism at once), and its last
     * step waits for all of them and sums up. The parent takes one engine thread while it waits, whatever the
     * number of items; the items' tasks run on their own.
     */
    private TaskInfo batch(BatchRun run, String name, List<String> names, String user, List<TaskStep> items) {
        List<TaskStep> steps = new ArrayList<>(items);
        steps.add(InstanceSteps.step("summary", "noop", ctx -> {
            List<java.util.concurrent.CompletableFuture<Void>> pending;
            synchronized (run.items) {
                pending = List.copyOf(run.items);
            }
            int finished = 0;
            for (java.util.concurrent.CompletableFuture<Void> f : pending) {
                f.get(); // each ends by itself: with its task, or when its own wait runs out
                finished++;
                ctx.progress(finished * 100 / Math.max(1, pending.size()), finished + " of " + pending.size()
                        + " item task(s) finished");
            }
            TaskInfo now = engine.get(ctx.taskId()).orElse(null);
            long failed = now == null ? 0 : now.steps().stream()
                    .filter(s -> "FAILED".equals(s.data().get("outcome"))).count();
            ctx.record("succeeded", Long.toString(names.size() - failed));
            ctx.record("failed", Long.toString(failed));
            ctx.progress(100, (names.size() - failed) + " of " + names.size() + " succeeded"
                    + (failed > 0 ? ", " + failed + " failed (rolled back)" : ""));
        }, ctx -> { }));
        // the batch holds no instance lock: each item's own task takes its instance's
        TaskInfo task = engine.submit(new TaskRequest(name, Set.of("batch:" + UUID.randomUUID()), user, steps));
        LOG.info("batch {} of {} item(s) queued as task {}, {} at once", name, names.size(), task.id(),
                run.parallelism);
        return task;
    }
}
