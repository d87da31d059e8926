package io.skiff.cell.internal;

import io.skiff.api.Skiff;
import io.skiff.api.cell.Ack;
import io.skiff.api.cell.CellDisk;
import io.skiff.api.cell.StoragePoolDefinition;
import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.DhcpServer;
import io.skiff.api.spi.GuestInitializer;
import io.skiff.api.spi.GuestProfile;
import io.skiff.api.spi.Hypervisor;
import io.skiff.api.spi.SnapshotProvider;
import io.skiff.api.spi.StorageBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The providers the cell's requests run on, each chosen by name ({@link Skiff#PROVIDER_PROPERTY}) as the cell's
 * settings say: the hypervisor, the storage backends (by pool: the backend that declared a pool in its
 * {@code skiff.storage.pools}, or the one that took a pool the Core defines ({@link #takePool}), else the configured
 * one), the guest profiles (by profile name), the snapshot
 * provider, the guest initializer and the DHCP server. A provider that is not there now makes the request that needs
 * it fail with {@code provider-unavailable} naming it; requests that need it not keep working.
 */
final class CellProviders {

    /**
     * The names the cell's settings choose.
     *
     * @param hypervisor {@code skiff.provider} of the {@link Hypervisor}
     * @param storage {@code skiff.provider} of the {@link StorageBackend} of pools no backend declared
     * @param storagePool the pool of disks that name none
     * @param snapshots {@code skiff.provider} of the {@link SnapshotProvider}
     * @param guestInit {@code skiff.provider} of the {@link GuestInitializer}
     * @param dhcp {@code skiff.provider} of the {@link DhcpServer}
     */
    record Names(String hypervisor, String storage, String storagePool, String snapshots, String guestInit,
                 String dhcp) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(CellProviders.class);

    private final String where;
    private final Names names;
    private final ProvidersByName<Hypervisor> hypervisors = new ProvidersByName<>();
    private final ProvidersByName<StorageBackend> storage = new ProvidersByName<>();
    private final ProvidersByName<GuestProfile> profiles = new ProvidersByName<>();
    private final ProvidersByName<SnapshotProvider> snapshots = new ProvidersByName<>();
    private final ProvidersByName<GuestInitializer> initializers = new ProvidersByName<>();
    private final ProvidersByName<DhcpServer> dhcpServers = new ProvidersByName<>();
    /**
     * Storage pools other than the default one, each with the provider that declared it
     * ({@code skiff.storage.pools}); kept when the provider goes, so requests name the missing provider.
     */
    private final Map<String, String> poolProviders = new ConcurrentHashMap<>();
    /**
     * The storage pools the Core defined that this cell took (from its requests' disks, or its instances' files at
     * start), each given again to a backend of its provider that comes (back) later.
     */
    private final Map<String, StoragePoolDefinition> definedPools = new ConcurrentHashMap<>();

    /** @param node the cell, named in "not available on cell X" */
    CellProviders(String node, Names names) {
        this.where = "cell " + node;
        this.names = names;
    }

    Names names() {
        return names;
    }


    void addHypervisor(Hypervisor h, Map<String, ?> properties) {
        hypervisors.add(nameOf(properties), h, properties);
    }

    void removeHypervisor(Hypervisor h) {
        hypervisors.remove(h);
    }

    void addStorage(StorageBackend backend, Map<String, ?> properties) {
        String provider = nameOf(properties);
        for (String pool : declaredPools(properties.get("skiff.storage.pools"))) {
            poolProviders.put(pool, provider);
        }
        storage.add(provider, backend, properties);
        definedPools.values().stream().filter(d -> provider.equals(d.provider())).forEach(d -> {
            try {
                backend.definePool(d.name(), d.settings());
            } catch (RuntimeException e) {
                LOG.warn("storage pool {} not given to the {} backend that came: {}", d.name(), provider,
                        e.getMessage());
            }
        });
    }

    /**
     * Has a backend take a storage pool the Core defines, once: nothing happens for a pool this cell took already with
     * the same settings, for {@code null}, and for a pool of the cell's own settings (its default pool, or one a
     * backend declared), which stays as configured.
     *
     * @throws SkiffException {@code provider-unavailable} when the cell has no backend of the pool's provider, or
     *     what the backend's {@link StorageBackend#definePool} throws (e.g. INVALID naming {@code server})
     */
    void takePool(StoragePoolDefinition definition) {
        if (definition == null || definition.equals(definedPools.get(definition.name()))) {
            return;
        }
        if (!definedPools.containsKey(definition.name()) && (definition.name().equals(names.storagePool())
                || poolProviders.containsKey(definition.name()))) {
            return;
        }
        StorageBackend backend = required(storage.get(definition.provider()), "StorageBackend",
                definition.provider());
        backend.definePool(definition.name(), definition.settings());
        definedPools.put(definition.name(), definition);
        poolProviders.put(definition.name(), definition.provider());
        LOG.info("storage pool {} ({}) taken from the Core's definition", definition.name(), definition.provider());
    }

    /**
     * Takes again the pools the Core defined that a cell's instances' disks are in (at start): a backend that is not
     * there yet gets them when it comes; one that refuses them now is logged, and the disks' requests say why.
     */
    void restorePools(List<CellDisk> disks) {
        for (CellDisk disk : disks) {
            StoragePoolDefinition d = disk.poolDefinition();
            if (d == null || definedPools.containsKey(d.name())) {
                continue;
            }
            if (storage.get(d.provider()) == null) {
                definedPools.put(d.name(), d);
                poolProviders.put(d.name(), d.provider());
                continue;
            }
            try {
                takePool(d);
            } catch (RuntimeException e) {
                LOG.warn("storage pool {} of this cell's instances not taken: {}", d.name(), e.getMessage());
            }
        }
    }

    /**
     * Has this cell's backend of the pool's provider check it (nothing is kept).
     *
     * @throws SkiffException {@code provider-unavailable} without such a backend, else what the backend's
     *     {@link StorageBackend#check} throws
     */
    Ack checkPool(StoragePoolDefinition definition) {
        StorageBackend backend = required(storage.get(definition.provider()), "StorageBackend",
                definition.provider());
        backend.check(definition.name(), definition.settings());
        return new Ack(null, "storage pool " + definition.name() + " checked by the " + definition.provider()
                + " backend of " + where);
    }

    void removeStorage(StorageBackend backend) {
        storage.remove(backend);
    }

    void addProfile(GuestProfile profile, Map<String, ?> properties) {
        profiles.add(profile.name(), profile, properties);
    }

    void removeProfile(GuestProfile profile) {
        profiles.remove(profile);
    }

    void addSnapshots(SnapshotProvider provider, Map<String, ?> properties) {
        snapshots.add(nameOf(properties), provider, properties);
    }

    void removeSnapshots(SnapshotProvider provider) {
        snapshots.remove(provider);
    }

    void addInitializer(GuestInitializer provider, Map<String, ?> properties) {
        initializers.add(nameOf(properties), provider, properties);
    }

    void removeInitializer(GuestInitializer provider) {
        initializers.remove(provider);
    }

    void addDhcp(DhcpServer server, Map<String, ?> properties) {
        dhcpServers.add(nameOf(properties), server, properties);
    }

    void removeDhcp(DhcpServer server) {
        dhcpServers.remove(server);
    }

    private static String nameOf(Map<String, ?> properties) {
        return String.valueOf(properties.get(Skiff.PROVIDER_PROPERTY));
    }

    private static List<String> declaredPools(Object value) {
        if (value instanceof String[] array) {
            return List.of(array);
        }
        if (value instanceof Collection<?> c) {
            return c.stream().map(String::valueOf).toList();
        }
        return value == null || String.valueOf(value).isBlank() ? List.of()
                : List.of(String.valueOf(value).trim().split("\\s*,\\s*"));
    }


    /** @throws SkiffException {@code provider-unavailable} when the configured hypervisor is not registered */
    Hypervisor hypervisor() {
        return required(hypervisors.get(names.hypervisor()), "Hypervisor", names.hypervisor());
    }

    /** @return the configured hypervisor, or {@code null} when it is not registered now */
    Hypervisor hypervisorIfPresent() {
        return hypervisors.get(names.hypervisor());
    }

    /** @return the backend of a pool: the provider that declared it, else the cell's configured provider */
    StorageBackend storage(String pool) {
        String provider = providerOf(pool);
        return required(storage.get(provider), "StorageBackend", provider);
    }

    /** @return the backend of a pool, or {@code null} when its provider is not registered now */
    StorageBackend storageIfPresent(String pool) {
        return storage.get(providerOf(pool));
    }

    String providerOf(String pool) {
        return pool == null ? names.storage() : poolProviders.getOrDefault(pool, names.storage());
    }

    /** @return the pool a disk goes to: the one it names, else the cell's default pool */
    String poolOf(CellDisk disk) {
        return disk.storagePool() == null || disk.storagePool().isEmpty() ? names.storagePool() : disk.storagePool();
    }

    String defaultPool() {
        return names.storagePool();
    }

    /** @return the default pool first, then the pools other providers declared, by name */
    List<String> pools() {
        List<String> pools = new ArrayList<>();
        pools.add(names.storagePool());
        poolProviders.keySet().stream().sorted().filter(p -> !p.equals(names.storagePool())).forEach(pools::add);
        return pools;
    }

    GuestProfile profile(String name) {
        return required(profiles.get(name), "GuestProfile", name);
    }

    SnapshotProvider snapshots() {
        return required(snapshots.get(names.snapshots()), "SnapshotProvider", names.snapshots());
    }

    GuestInitializer initializer() {
        return required(initializers.get(names.guestInit()), "GuestInitializer", names.guestInit());
    }

    /** @return the configured guest initializer, or {@code null} when it is not registered now */
    GuestInitializer initializerIfPresent() {
        return initializers.get(names.guestInit());
    }

    /** @return the configured DHCP server, or {@code null} when it is not registered now */
    DhcpServer dhcpIfPresent() {
        return dhcpServers.get(names.dhcp());
    }

    private <T> T required(T provider, String spi, String name) {
        if (provider == null) {
            throw SkiffException.providerUnavailable(spi, name, where);
        }
        return provider;
    }
}
