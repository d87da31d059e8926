package io.skiff.core.internal.instance;

import io.skiff.api.cell.CellInstancesReport;
import io.skiff.api.model.CellStatus;
import io.skiff.api.model.OperationRecord;
import io.skiff.api.service.AddressPoolService;
import io.skiff.api.service.BatchService;
import io.skiff.api.service.CellInventoryService;
import io.skiff.api.service.CellService;
import io.skiff.api.service.SkiffException;
import io.skiff.api.service.ComputePoolService;
import io.skiff.api.service.GuestSeedService;
import io.skiff.api.service.InstanceAddressService;
import io.skiff.api.service.InstanceDiskService;
import io.skiff.api.service.InstanceImageService;
import io.skiff.api.service.InstanceMediaService;
import io.skiff.api.service.InstanceMigrationService;
import io.skiff.api.service.InstanceService;
import io.skiff.api.service.InstanceEventService;
import io.skiff.api.service.OperationLog;
import io.skiff.api.service.QosService;
import io.skiff.api.service.SnapshotService;
import io.skiff.api.spi.AddressPoolProvider;
import io.skiff.api.spi.GuestProfile;
import io.skiff.api.spi.PlacementPolicy;
import io.skiff.api.state.StateStore;
import io.skiff.api.task.TaskEngine;
import io.skiff.api.task.UndoHandler;
import io.skiff.api.transport.ClusterTransport;
import io.skiff.core.internal.Visibility;
import io.skiff.core.internal.StoragePoolRecords;
import io.skiff.core.internal.image.ImageCatalog;
import org.osgi.service.cm.ConfigurationAdmin;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * The instance capabilities of the Core wired together as plain objects, without OSGi ({@link InstanceComponent}
 * publishes them; harnesses, benchmarks and unit tests use them directly). They share one set of instance records
 * (one writer, {@link InstanceRecords}), one cell-report view ({@link CellReports}), the providers as they come and go
 * ({@link InstanceProviders}), the live settings ({@link InstanceSettings}) and one object per step kind
 * ({@link InstanceSteps}), whose {@link #undoHandlers()} the task engine needs for crash recovery.
 */
public final class InstanceCapabilities implements AutoCloseable {
    /** How long a cell must hold a copy of an instance another cell owns before it is removed (two reports). */
    static final Duration STALE_COPY_GRACE = Duration.ofSeconds(4);
    /** A cell silent this long (offline after 10 s) counts as come back with its next report. */
    static final Duration COMEBACK_ABSENCE = Duration.ofSeconds(15);
    private final InstanceProviders providers;
    private final InstanceSettings settings;
    private final InstanceRecords records;
    private final CellReports reports;
    private final ClusterTransport.Registration reportSubscription;
    private final ClusterTransport.Registration restartSubscription;
    private final InstanceEvents events;
    private final InstanceSteps steps;
    private final InstanceLifecycle lifecycle;
    private final InstanceDisks disks;
    private final SystemDiskImages systemDiskImages;
    private final InstanceAddresses addresses;
    private final InstanceMedia media;
    private final InstanceSnapshots snapshots;
    private final InstanceQos qos;
    private final GuestSeedRecords guestSeeds;
    private final InstanceBatches batches;
    private final AddressPools addressPools;
    private final InstanceMigrations migrations;
    private final FailoverController failovers;

    /**
     * Loads the instance records and starts listening to the cells' reports.
     *
     * @param configAdmin where Karaf's HTTP port is read, or {@code null} for 8181
     * @param faults TEST ONLY: failures to inject, {@link FaultInjection#NONE} in production
     */
    InstanceCapabilities(StateStore store, TaskEngine engine, CellService cells, ComputePoolService pools,
                         ImageCatalog images, ClusterTransport transport, ConfigurationAdmin configAdmin,
                         SchedulerConfig config, FaultInjection faults, InstanceProviders providers) {
        Clock clock = Clock.systemUTC();
        this.providers = providers;
        providers.useAddressPoolProvider(config.addressPoolProvider());
        this.settings = new InstanceSettings(transport, config, faults);
        this.records = new InstanceRecords(store, clock);
        OrphanSweeper orphans = new OrphanSweeper(engine, settings::calls, records::has, records.tombstones(), clock,
                Duration.ofSeconds(Math.max(0, config.orphanGraceSeconds())), this::auditCleanup);
        this.reports = new CellReports(records, cells, providers, orphans, clock);
        StoragePoolRecords storagePools = new StoragePoolRecords(store);
        FailoverPolicy failoverPolicy = new FailoverPolicy(pools, settings::config);
        CellSpecs specs = new CellSpecs(images, providers, transport, configAdmin, storagePools, failoverPolicy);
        InstanceAccess access = new InstanceAccess(records, images, providers,
                new Visibility(providers::identityOrNull));
        InstanceQuotas quotas = new InstanceQuotas(providers);
        InstanceRequests requests = new InstanceRequests(records, pools, images, providers, settings::defaults,
                storagePools);
        this.steps = new InstanceSteps(records, settings, providers, cells, quotas, specs, images);
        InstanceTasks tasks = new InstanceTasks(engine, records, settings, steps.markState(), steps.noUndo());
        InstanceCreation creation = new InstanceCreation(requests, records, access, quotas, settings, providers, cells,
                engine, steps);
        this.lifecycle = new InstanceLifecycle(records, access, reports, creation, tasks, settings, specs, cells,
                steps);
        this.disks = new InstanceDisks(records, access, reports, tasks, settings, steps);
        this.addresses = new InstanceAddresses(records, access, providers, tasks, settings, specs, steps);
        this.media = new InstanceMedia(records, access, reports, providers, tasks, settings, specs, steps);
        this.snapshots = new InstanceSnapshots(records, access, reports, tasks, settings);
        this.systemDiskImages = new SystemDiskImages(records, access, reports, tasks, settings, specs, images,
                snapshots, steps);
        this.qos = new InstanceQos(records, access, reports, settings, specs);
        this.guestSeeds = new GuestSeedRecords(records, settings);
        this.batches = new InstanceBatches(records, access, requests, lifecycle, engine, settings, steps);
        this.migrations = new InstanceMigrations(records, access, reports, tasks, settings, providers, cells, steps,
                batches);
        this.addressPools = new AddressPools(providers);
        FailoverSources failoverSources = new FailoverSources(store);
        records.onRemoved(failoverSources::forget);
        InstanceFailovers instanceFailovers = new InstanceFailovers(records, tasks, settings, providers, cells, steps,
                failoverSources);
        CellComebacks comebacks = new CellComebacks(records, lifecycle, providers::operationLogOrNull, clock,
                COMEBACK_ABSENCE, node -> isOnline(cells, node),
                r -> failoverPolicy.failover(r.spec().poolId()));
        this.failovers = new FailoverController(cells, records, failoverPolicy, instanceFailovers, clock,
                comebacks::returned);
        StaleCopies staleCopies = new StaleCopies(engine, settings::calls, records, steps.noUndo(),
                providers::operationLogOrNull, r -> failoverPolicy.failover(r.spec().poolId()), clock,
                STALE_COPY_GRACE);
        reports.alsoTell(staleCopies::onReport);
        this.reportSubscription = reports.listen(transport);
        this.events = new InstanceEvents(access, providers::operationLogOrNull);
        this.restartSubscription = new CellRestartAudit(records, providers::operationLogOrNull).listen(transport);
        reports.alsoTell(comebacks::onReport);
    }

    /** @return whether a cell is online in the registry (one lookup, at every report of every cell) */
    private static boolean isOnline(CellService cells, String node) {
        try {
            return cells.get(node).status() == CellStatus.ONLINE;
        } catch (SkiffException e) {
            return false;
        }
    }

    /** Without OSGi: the caller registers {@link #undoHandlers()} with its engine and adds the providers. */
    public InstanceCapabilities(StateStore store, TaskEngine engine, CellService cells, ComputePoolService pools,
                                ImageCatalog images, ClusterTransport transport, SchedulerConfig config) {
        this(store, engine, cells, pools, images, transport, null, config, FaultInjection.NONE,
                new InstanceProviders());
    }

    private void auditCleanup(String what) {
        OperationLog log = providers.operationLogOrNull();
        if (log != null) {
            log.record(new OperationRecord(records.clock().instant(), "system", "core", "core",
                    "orphan clean-up", null, OperationRecord.SUCCESS, 0, null, what));
        }
    }

    /** @return one undo handler per step kind of the instance tasks */
    public List<UndoHandler> undoHandlers() {
        return steps.undoHandlers();
    }

    /** Takes new settings without re-activating anything. */
    void update(SchedulerConfig config, FaultInjection faults) {
        providers.useAddressPoolProvider(config.addressPoolProvider());
        settings.update(config, faults);
    }

    /** @return the placement policy the settings select */
    public String placementPolicyName() {
        return settings.config().placementPolicy();
    }

    public InstanceService lifecycle() {
        return lifecycle;
    }

    public InstanceDiskService disks() {
        return disks;
    }

    public InstanceImageService systemDiskImages() {
        return systemDiskImages;
    }

    public InstanceAddressService addresses() {
        return addresses;
    }

    public InstanceMediaService media() {
        return media;
    }

    public SnapshotService snapshots() {
        return snapshots;
    }

    public QosService qos() {
        return qos;
    }

    public GuestSeedService guestSeeds() {
        return guestSeeds;
    }

    public InstanceEventService events() {
        return events;
    }

    public InstanceMigrationService migrations() {
        return migrations;
    }

    /** @return what starts a lost cell's instances of failover pools elsewhere; its owner calls it every second */
    public FailoverController failovers() {
        return failovers;
    }

    public BatchService batches() {
        return batches;
    }

    public CellInventoryService inventory() {
        return reports;
    }

    /** @return the address pools, answered by the provider the settings name */
    public AddressPoolService addressPools() {
        return addressPools;
    }

    /** Without OSGi: a guest profile becomes known (the DS component binds them otherwise). */
    public void addProfile(GuestProfile profile) {
        providers.addProfile(profile);
    }

    /** Without OSGi: a placement policy under its {@code skiff.provider} name. */
    public void addPolicy(PlacementPolicy policy, String name) {
        providers.addPolicy(policy, name);
    }

    /** Without OSGi: an address pool provider under its {@code skiff.provider} name. */
    public void addAddressPools(AddressPoolProvider provider, String name) {
        providers.addAddressPools(provider, name);
    }

    /** The instance records (their one writer). */
    InstanceRecords records() {
        return records;
    }

    /** The providers as they come and go; the DS component binds them. */
    InstanceProviders providers() {
        return providers;
    }

    /** Hands every cell's instances report to {@code listener} too. */
    void onCellReport(Consumer<CellInstancesReport> listener) {
        reports.alsoTell(listener);
    }

    /** Stops listening to the cells' reports. */
    @Override
    public void close() {
        reportSubscription.close();
        restartSubscription.close();
    }
}
