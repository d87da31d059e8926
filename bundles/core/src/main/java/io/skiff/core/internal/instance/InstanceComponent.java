package io.skiff.core.internal.instance;

import io.skiff.api.Skiff;
import io.skiff.api.cell.Ack;
import io.skiff.api.cell.CellProtocol;
import io.skiff.api.model.ComponentActivation;
import io.skiff.api.service.AddressPoolService;
import io.skiff.api.service.BatchService;
import io.skiff.api.service.CellInventoryService;
import io.skiff.api.service.CellService;
import io.skiff.api.service.ComputePoolService;
import io.skiff.api.service.GuestSeedService;
import io.skiff.api.service.IdentityService;
import io.skiff.api.service.InstanceAddressService;
import io.skiff.api.service.InstanceDiskService;
import io.skiff.api.service.InstanceImageService;
import io.skiff.api.service.InstanceMediaService;
import io.skiff.api.service.InstanceEventService;
import io.skiff.api.service.InstanceMigrationService;
import io.skiff.api.service.InstanceService;
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
import io.skiff.core.internal.image.ImageCatalog;
import io.skiff.core.internal.image.MediaCatalog;
import io.skiff.core.internal.tls.CellMigrationTls;
import io.skiff.osgi.support.ComponentActivations;
import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The DS shell of the instance capabilities, as {@code TaskEngineComponent} is of the task engine: it builds one
 * {@link InstanceCapabilities} from its static references and configuration ({@code etc/io.skiff.core.instances.cfg})
 * and registers each capability under its own service interface, served by the object that does that job
 * ({@link InstanceService}, {@link InstanceDiskService}, {@link InstanceImageService}, {@link InstanceAddressService},
 * {@link InstanceMediaService}, {@link SnapshotService}, {@link QosService}, {@link GuestSeedService},
 * {@link BatchService}, {@link CellInventoryService}, {@link AddressPoolService}, {@link InstanceMigrationService}, {@link InstanceEventService}), plus one {@link UndoHandler} per
 * step kind.
 *
 * <p>One component rather than one per capability, because the capabilities share state that must exist once and be
 * loaded once: the instance records with their single writer, the scheduler's lock, the cells' last reports. Several
 * components would need that state as an internal service and an activation order between them, and a configuration
 * update or a provider change would re-wire several of them. Providers are bound dynamically and greedily and handed
 * to the shared {@link InstanceProviders}, and settings are taken by {@link #modified} without re-activating, so a
 * provider bundle's update or a changed setting never drops the in-memory state.
 *
 * <p>The services it registers itself are declared as bundle capabilities ({@link Capability}, one per service),
 * as DS would declare them: Karaf's resolver installs the bundles whose components need them only where they are
 * provided ({@code karaf:verify} of the features checks it). A service registered here needs its line there.
 *
 * <p>Its activations are counted under the name {@code InstanceManager} (see {@code skiff:components}), the name
 * operators and the live-upgrade test know it by.
 */
@Capability(namespace = InstanceComponent.SERVICE_NAMESPACE, attribute = "objectClass:List<String>=io.skiff.api.service.InstanceService",
        uses = InstanceService.class)
@Capability(namespace = InstanceComponent.SERVICE_NAMESPACE, attribute = "objectClass:List<String>=io.skiff.api.service.InstanceDiskService",
        uses = InstanceDiskService.class)
@Capability(namespace = InstanceComponent.SERVICE_NAMESPACE, attribute = "objectClass:List<String>=io.skiff.api.service.InstanceImageService",
        uses = InstanceImageService.class)
@Capability(namespace = InstanceComponent.SERVICE_NAMESPACE, attribute = "objectClass:List<String>=io.skiff.api.service.InstanceAddressService",
        uses = InstanceAddressService.class)
@Capability(namespace = InstanceComponent.SERVICE_NAMESPACE, attribute = "objectClass:List<String>=io.skiff.api.service.InstanceMediaService",
        uses = InstanceMediaService.class)
@Capability(namespace = InstanceComponent.SERVICE_NAMESPACE, attribute = "objectClass:List<String>=io.skiff.api.service.SnapshotService",
        uses = SnapshotService.class)
@Capability(namespace = InstanceComponent.SERVICE_NAMESPACE, attribute = "objectClass:List<String>=io.skiff.api.service.QosService",
        uses = QosService.class)
@Capability(namespace = InstanceComponent.SERVICE_NAMESPACE, attribute = "objectClass:List<String>=io.skiff.api.service.GuestSeedService",
        uses = GuestSeedService.class)
@Capability(namespace = InstanceComponent.SERVICE_NAMESPACE, attribute = "objectClass:List<String>=io.skiff.api.service.BatchService",
        uses = BatchService.class)
@Capability(namespace = InstanceComponent.SERVICE_NAMESPACE, attribute = "objectClass:List<String>=io.skiff.api.service.CellInventoryService",
        uses = CellInventoryService.class)
@Capability(namespace = InstanceComponent.SERVICE_NAMESPACE, attribute = "objectClass:List<String>=io.skiff.api.service.AddressPoolService",
        uses = AddressPoolService.class)
@Capability(namespace = InstanceComponent.SERVICE_NAMESPACE, attribute = "objectClass:List<String>=io.skiff.api.service.InstanceMigrationService",
        uses = InstanceMigrationService.class)
@Capability(namespace = InstanceComponent.SERVICE_NAMESPACE, attribute = "objectClass:List<String>=io.skiff.api.service.InstanceEventService",
        uses = InstanceEventService.class)
@Component(immediate = true, configurationPid = "io.skiff.core.instances")
@Designate(ocd = SchedulerConfig.class)
public class InstanceComponent {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceComponent.class);
    /** The namespace of the service capabilities declared above. */
    static final String SERVICE_NAMESPACE = "osgi.service";
    /** The name its activations are counted under. */
    static final String ACTIVATION_NAME = "InstanceManager";

    private final InstanceProviders providers = new InstanceProviders();
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    private ServiceRegistration<ComponentActivation> activation;
    private InstanceCapabilities instances;
    /** How often the Core tells the cells it is alive ({@link CellProtocol#CORE_ALIVE}). */
    static final long HEARTBEAT_MILLIS = 500;
    private ScheduledExecutorService failoverTimer;

    @Reference
    private StateStore store;
    @Reference
    private TaskEngine engine;
    @Reference
    private CellService cells;
    @Reference
    private ComputePoolService pools;
    @Reference
    private ImageCatalog images;
    @Reference
    private ClusterTransport transport;
    @Reference
    private ConfigurationAdmin configAdmin;
    @Reference
    private CellMigrationTls migrationTls;

    @Activate
    void activate(SchedulerConfig config, Map<String, Object> properties, BundleContext context) {
        instances = new InstanceCapabilities(store, engine, cells, pools, images, transport, configAdmin, config,
                FaultInjection.from(properties), providers);
        instances.onCellReport(migrationTls::onReport);
        for (UndoHandler handler : instances.undoHandlers()) {
            registrations.add(context.registerService(UndoHandler.class, handler, null));
        }
        register(context, InstanceService.class, instances.lifecycle());
        register(context, InstanceDiskService.class, instances.disks());
        register(context, InstanceImageService.class, instances.systemDiskImages());
        register(context, InstanceAddressService.class, instances.addresses());
        register(context, InstanceMediaService.class, instances.media());
        register(context, SnapshotService.class, instances.snapshots());
        register(context, QosService.class, instances.qos());
        register(context, GuestSeedService.class, instances.guestSeeds());
        register(context, BatchService.class, instances.batches());
        register(context, CellInventoryService.class, instances.inventory());
        register(context, AddressPoolService.class, instances.addressPools());
        register(context, InstanceMigrationService.class, instances.migrations());
        register(context, InstanceEventService.class, instances.events());
        failoverTimer = Executors.newScheduledThreadPool(3, r -> {
            Thread t = new Thread(r, "skiff-failover");
            t.setDaemon(true);
            return t;
        });
        // three threads: the decisions and the heartbeat go on while a slow cell is asked to describe its instances
        failoverTimer.scheduleWithFixedDelay(instances.failovers()::tick, 1, 1, TimeUnit.SECONDS);
        failoverTimer.scheduleWithFixedDelay(instances.failovers()::learn, 1, 2, TimeUnit.SECONDS);
        tellCells(CellProtocol.CORE_STARTED);
        failoverTimer.scheduleAtFixedRate(this::beat, 0, HEARTBEAT_MILLIS, TimeUnit.MILLISECONDS);
        activation = ComponentActivations.register(context, ACTIVATION_NAME);
    }

    private void tellCells(String event) {
        try {
            transport.publish(event, new Ack(null, event));
        } catch (RuntimeException e) {
            LOG.warn("the cells were not told {}: {}", event,
                    e.toString());
        }
    }

    /** The Core's heartbeat to the cells ({@link CellProtocol#CORE_ALIVE}): what their self-fencing counts from. */
    private void beat() {
        try {
            transport.publish(CellProtocol.CORE_ALIVE, new Ack(null, CellProtocol.CORE_ALIVE));
        } catch (RuntimeException e) {
            LOG.debug("heartbeat to the cells not sent: {}", e.toString());
        }
    }

    private <S> void register(BundleContext context, Class<S> type, S service) {
        registrations.add(context.registerService(type, service, null));
    }

    /**
     * Takes new settings without re-activating (which would drop the in-memory state and every provider binding):
     * e.g. {@code config:property-set -p io.skiff.core.instances placementPolicy pack}.
     */
    @Modified
    void modified(SchedulerConfig config, Map<String, Object> properties) {
        instances.update(config, FaultInjection.from(properties));
    }

    @Deactivate
    void deactivate() {
        // a Core that stops on purpose starts nothing elsewhere: its cells need not fence while it is away (its
        // heartbeat stops first, so that no late one follows)
        failoverTimer.shutdownNow();
        tellCells(CellProtocol.CORE_STOPPING);
        ComponentActivations.unregister(activation);
        for (int i = registrations.size() - 1; i >= 0; i--) {
            registrations.get(i).unregister();
        }
        registrations.clear();
        instances.close();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addProfile(GuestProfile profile) {
        providers.addProfile(profile);
    }

    void removeProfile(GuestProfile profile) {
        providers.removeProfile(profile);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addPolicy(PlacementPolicy policy, Map<String, Object> properties) {
        providers.addPolicy(policy, String.valueOf(properties.get(Skiff.PROVIDER_PROPERTY)));
    }

    void removePolicy(PlacementPolicy policy, Map<String, Object> properties) {
        providers.removePolicy(policy, String.valueOf(properties.get(Skiff.PROVIDER_PROPERTY)));
    }

    /** Kept by {@code skiff.provider}; the Core uses the one its settings name ({@code addressPoolProvider}). */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addAddressPools(AddressPoolProvider provider, Map<String, Object> properties) {
        providers.addAddressPools(provider, String.valueOf(properties.get(Skiff.PROVIDER_PROPERTY)));
    }

    void removeAddressPools(AddressPoolProvider provider, Map<String, Object> properties) {
        providers.removeAddressPools(provider, String.valueOf(properties.get(Skiff.PROVIDER_PROPERTY)));
    }

    /** ISO media for the media drives; without it instances have empty drives and media cannot be inserted. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unsetMediaCatalog")
    void setMediaCatalog(MediaCatalog catalog) {
        providers.setMediaCatalog(catalog);
    }

    void unsetMediaCatalog(MediaCatalog catalog) {
        providers.unsetMediaCatalog(catalog);
    }

    /** Users' groups and quotas; without the auth bundle an instance's group is its owner and nothing is limited. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unsetIdentity")
    void setIdentity(IdentityService identity) {
        providers.setIdentity(identity);
    }

    void unsetIdentity(IdentityService identity) {
        providers.unsetIdentity(identity);
    }

    /** Where orphan clean-ups are logged for operators; optional (the auth bundle provides it). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unsetOperationLog")
    void setOperationLog(OperationLog log) {
        providers.setOperationLog(log);
    }

    void unsetOperationLog(OperationLog log) {
        providers.unsetOperationLog(log);
    }
}
