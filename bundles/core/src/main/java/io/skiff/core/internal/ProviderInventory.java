package io.skiff.core.internal;

import io.skiff.api.Skiff;
import io.skiff.api.model.CellStoragePool;
import io.skiff.api.model.ComponentActivation;
import io.skiff.api.model.DiskSpec;
import io.skiff.api.model.InstanceStatus;
import io.skiff.api.model.ProviderInfo;
import io.skiff.api.service.CellInventoryService;
import io.skiff.api.service.InstanceService;
import io.skiff.api.service.ProviderService;
import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.AddressPoolProvider;
import io.skiff.api.spi.ConsoleProvider;
import io.skiff.api.spi.GuestInitializer;
import io.skiff.api.spi.GuestProfile;
import io.skiff.api.spi.Hypervisor;
import io.skiff.api.spi.PlacementPolicy;
import io.skiff.api.spi.SnapshotProvider;
import io.skiff.api.spi.StorageBackend;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Lists the providers of every SPI registered in this framework (read from the service registry on each call,
 * never held) and what depends on each: instances using a guest profile, a storage pool of a backend or the
 * hypervisor, and the setting that selects a placement policy. Its own references are all optional and dynamic,
 * so it never blocks or restarts anything.
 */
@Component(service = ProviderService.class)
public class ProviderInventory implements ProviderService {
    static final List<Class<?>> SPIS = List.of(Hypervisor.class, StorageBackend.class, GuestProfile.class,
            PlacementPolicy.class, AddressPoolProvider.class, SnapshotProvider.class, ConsoleProvider.class,
            GuestInitializer.class);
    static final String INSTANCES_PID = "io.skiff.core.instances";

    private final BundleContext context;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile InstanceService instances;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile CellInventoryService inventory;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ConfigurationAdmin configAdmin;

    @Activate
    public ProviderInventory(BundleContext context) {
        this.context = context;
    }

    /** A registered provider before its dependants are known. */
    record Registered(String spi, String name, long bundleId, String bundleSymbolicName, String bundleVersion,
                      long serviceId) {
    }

    @Override
    public List<ProviderInfo> providers() {
        List<Registered> registered = new ArrayList<>();
        for (Class<?> spi : SPIS) {
            ServiceReference<?>[] refs;
            try {
                refs = context.getAllServiceReferences(spi.getName(), null);
            } catch (InvalidSyntaxException e) {
                throw new IllegalStateException(e);
            }
            if (refs == null) {
                continue;
            }
            for (ServiceReference<?> ref : refs) {
                Bundle b = ref.getBundle();
                if (b == null) {
                    continue; // unregistered meanwhile
                }
                Object name = ref.getProperty(Skiff.PROVIDER_PROPERTY);
                registered.add(new Registered(spi.getSimpleName(), name == null ? "(unnamed)" : name.toString(),
                        b.getBundleId(), b.getSymbolicName(), b.getVersion().toString(),
                        (Long) ref.getProperty("service.id")));
            }
        }
        InstanceService is = instances;
        CellInventoryService ci = inventory;
        return usage(registered, is == null ? List.of() : is.list(), ci == null ? List.of() : ci.storagePools(),
                placementPolicy());
    }

    /** Who depends on each provider; pure so it can be tested without a framework. */
    static List<ProviderInfo> usage(List<Registered> registered, List<InstanceStatus> instances,
                                    List<CellStoragePool> pools, String placementPolicy) {
        List<ProviderInfo> out = new ArrayList<>();
        for (Registered r : registered) {
            List<String> users = new ArrayList<>();
            for (InstanceStatus i : instances) {
                if (dependsOn(r, i, pools)) {
                    users.add(i.spec().name());
                }
            }
            if (r.spi().equals("PlacementPolicy") && r.name().equals(placementPolicy)) {
                users.add("setting " + INSTANCES_PID + " placementPolicy");
            }
            users.sort(null);
            out.add(new ProviderInfo(r.spi(), r.name(), r.bundleId(), r.bundleSymbolicName(), r.bundleVersion(),
                    r.serviceId(), users));
        }
        out.sort(Comparator.comparing(ProviderInfo::spi).thenComparing(ProviderInfo::name)
                .thenComparing(ProviderInfo::serviceId));
        return out;
    }

    private static boolean dependsOn(Registered r, InstanceStatus i, List<CellStoragePool> pools) {
        switch (r.spi()) {
            case "Hypervisor":
                return true;
            case "GuestProfile":
                return r.name().equals(i.spec().profile());
            case "StorageBackend":
                for (DiskSpec d : i.spec().disks()) {
                    if (r.name().equals(providerOfPool(i.cellId(), d.storagePool(), pools))) {
                        return true;
                    }
                }
                return false;
            default:
                return false;
        }
    }

    /** A disk without a pool is in its cell's default pool, which the cell reports first. */
    private static String providerOfPool(String cellId, String pool, List<CellStoragePool> pools) {
        for (CellStoragePool p : pools) {
            if (Objects.equals(p.cellId(), cellId) && (pool == null || p.name().equals(pool))) {
                return p.provider();
            }
        }
        return null;
    }

    private String placementPolicy() {
        ConfigurationAdmin ca = configAdmin;
        if (ca != null) {
            try {
                Configuration c = ca.getConfiguration(INSTANCES_PID, "?");
                if (c.getProperties() != null && c.getProperties().get("placementPolicy") != null) {
                    return String.valueOf(c.getProperties().get("placementPolicy"));
                }
            } catch (IOException e) {
                // fall back to the default
            }
        }
        return "least-loaded";
    }

    @Override
    public List<ComponentActivation> components() {
        List<ComponentActivation> out = new ArrayList<>();
        try {
            ServiceReference<?>[] refs = context.getAllServiceReferences(ComponentActivation.class.getName(), null);
            if (refs != null) {
                for (ServiceReference<?> ref : refs) {
                    Object service = context.getService(ref);
                    try {
                        if (service instanceof ComponentActivation a) {
                            out.add(a);
                        }
                    } finally {
                        context.ungetService(ref);
                    }
                }
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        out.sort(Comparator.comparing(ComponentActivation::component).thenComparing(ComponentActivation::count));
        return out;
    }

    @Override
    public void checkRemovable(String spi, String name) {
        List<ProviderInfo> matching = providers().stream()
                .filter(p -> p.name().equals(name) && (spi == null || spi.isEmpty() || p.spi().equals(spi)))
                .toList();
        if (matching.isEmpty()) {
            throw SkiffException.notFound("provider", "provider", name);
        }
        for (ProviderInfo p : matching) {
            if (p.inUse()) {
                throw SkiffException.conflict("provider", "provider " + p.name() + " (" + p.spi() + ") is in use by "
                        + String.join(", ", p.usedBy()) + "; delete those instances (or select another "
                        + "policy) first");
            }
        }
    }

}
