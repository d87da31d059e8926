package io.skiff.core.internal.instance;

import io.skiff.api.model.AddressBinding;
import io.skiff.api.model.AddressPool;
import io.skiff.api.model.InstanceSpec;
import io.skiff.api.service.IdentityService;
import io.skiff.api.service.OperationLog;
import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.AddressPoolProvider;
import io.skiff.api.spi.GuestProfile;
import io.skiff.api.spi.PlacementPolicy;
import io.skiff.core.internal.image.MediaCatalog;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The providers the instance capabilities use, as they come and go (the DS component binds them dynamically and
 * greedily; harnesses set them directly): guest profiles, placement policies, the address pool providers, the media
 * catalogue, the identity service (groups and quotas) and the operation log. Each accessor says what its absence
 * means: an error for what an operation cannot do without, {@code null} or empty for what is optional.
 *
 * <p>Placement policies and address pool providers are kept by their {@code skiff.provider}: the Core uses the one
 * its settings name ({@link #useAddressPoolProvider}), never "any", so another provider's arrival changes nothing and
 * a missing one of that name is the same as none.
 */
final class InstanceProviders {
    /** The address pool provider used until the settings name one. */
    static final String DEFAULT_ADDRESS_POOL_PROVIDER = "ipv4";

    private final Map<String, GuestProfile> profiles = new ConcurrentHashMap<>();
    /** Every profile name seen since activation: a request naming one that went away is told it is unavailable. */
    private final Set<String> knownProfiles = ConcurrentHashMap.newKeySet();
    private final Map<String, PlacementPolicy> policies = new ConcurrentHashMap<>();
    private final Map<String, AddressPoolProvider> addressPoolProviders = new ConcurrentHashMap<>();
    /** The {@code skiff.provider} of the address pool provider the settings name. */
    private volatile String addressPoolProvider = DEFAULT_ADDRESS_POOL_PROVIDER;
    private volatile MediaCatalog mediaCatalog;
    private volatile IdentityService identity;
    private volatile OperationLog operationLog;

    void addProfile(GuestProfile profile) {
        profiles.put(profile.name(), profile);
        knownProfiles.add(profile.name());
    }

    void removeProfile(GuestProfile profile) {
        profiles.remove(profile.name(), profile);
    }

    void addPolicy(PlacementPolicy policy, String name) {
        policies.put(name, policy);
    }

    void removePolicy(PlacementPolicy policy, String name) {
        policies.remove(name, policy);
    }

    void addAddressPools(AddressPoolProvider provider, String name) {
        addressPoolProviders.put(name, provider);
    }

    void removeAddressPools(AddressPoolProvider provider, String name) {
        addressPoolProviders.remove(name, provider);
    }

    /** Chooses the address pool provider by its {@code skiff.provider}, as the settings say. */
    void useAddressPoolProvider(String name) {
        addressPoolProvider = name;
    }

    /** @return the {@code skiff.provider} of the address pool provider the settings name */
    String addressPoolProviderName() {
        return addressPoolProvider;
    }

    void setMediaCatalog(MediaCatalog catalog) {
        mediaCatalog = catalog;
    }

    void unsetMediaCatalog(MediaCatalog catalog) {
        if (mediaCatalog == catalog) {
            mediaCatalog = null;
        }
    }

    void setIdentity(IdentityService service) {
        identity = service;
    }

    void unsetIdentity(IdentityService service) {
        if (identity == service) {
            identity = null;
        }
    }

    void setOperationLog(OperationLog log) {
        operationLog = log;
    }

    void unsetOperationLog(OperationLog log) {
        if (operationLog == log) {
            operationLog = null;
        }
    }

    /** @return the profile of this name, or {@code null} */
    GuestProfile profile(String name) {
        return profiles.get(name);
    }

    /**
     * @return the name, when a profile of that name is registered
     * @throws SkiffException {@code provider-unavailable} for a profile that went away, {@code INVALID profile} for
     *     one never seen
     */
    String requireProfile(String name) {
        if (!profiles.containsKey(name) && knownProfiles.contains(name)) {
            throw SkiffException.providerUnavailable("GuestProfile", name, null);
        }
        if (!profiles.containsKey(name)) {
            throw SkiffException.invalid("profile", "unknown profile '" + name + "'; known: "
                    + String.join(", ", new TreeSet<>(profiles.keySet())));
        }
        return name;
    }

    /** @throws SkiffException {@code provider-unavailable} when no policy of that name is registered */
    PlacementPolicy policy(String name) {
        PlacementPolicy p = policies.get(name);
        if (p == null) {
            throw SkiffException.providerUnavailable("PlacementPolicy", name, null);
        }
        return p;
    }

    /** @throws SkiffException {@code UNAVAILABLE} without the address pool provider the settings name */
    AddressPoolProvider addressPools() {
        AddressPoolProvider p = addressPoolsOrNull();
        if (p == null) {
            throw SkiffException.unavailable("no address pool provider is available");
        }
        return p;
    }

    /**
     * @throws SkiffException {@code provider-unavailable} naming the address pool provider the settings name, when it
     *     is not registered
     */
    AddressPoolProvider namedAddressPools() {
        String name = addressPoolProvider;
        AddressPoolProvider p = addressPoolProviders.get(name);
        if (p == null) {
            throw SkiffException.providerUnavailable("AddressPoolProvider", name, null);
        }
        return p;
    }

    /**
     * @return the address pool provider the settings name, or {@code null} when it is not registered (instances then
     *     have no address)
     */
    AddressPoolProvider addressPoolsOrNull() {
        return addressPoolProviders.get(addressPoolProvider);
    }

    /** @return the address pool an instance takes its address from: its own choice, else its compute pool's */
    Optional<String> addressPoolOf(InstanceSpec spec) {
        if (spec.addressPoolId() != null) {
            return Optional.of(spec.addressPoolId());
        }
        AddressPoolProvider p = addressPoolsOrNull();
        return p == null ? Optional.empty() : p.forComputePool(spec.poolId()).map(AddressPool::id);
    }

    /** @return the address bound to the instance, or {@code null} */
    String addressOf(String instanceId) {
        AddressPoolProvider p = addressPoolsOrNull();
        return p == null ? null : p.bindingOf(instanceId).map(AddressBinding::address).orElse(null);
    }

    /** @throws SkiffException {@code UNAVAILABLE} without the media catalogue */
    MediaCatalog media() {
        MediaCatalog m = mediaCatalog;
        if (m == null) {
            throw SkiffException.unavailable("the media catalogue is not available");
        }
        return m;
    }

    /** @return the media catalogue, or {@code null} (instances then have empty media drives) */
    MediaCatalog mediaOrNull() {
        return mediaCatalog;
    }

    /** @return users' groups and quotas, or {@code null}: then an instance's group is its owner, nothing is limited */
    IdentityService identityOrNull() {
        return identity;
    }

    /** @return where operators read what the Core did on its own, or {@code null} */
    OperationLog operationLogOrNull() {
        return operationLog;
    }
}
