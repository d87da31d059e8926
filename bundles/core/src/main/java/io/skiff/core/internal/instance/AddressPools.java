package io.skiff.core.internal.instance;

import io.skiff.api.model.AddressBinding;
import io.skiff.api.model.AddressPool;
import io.skiff.api.model.AddressRange;
import io.skiff.api.model.AddressRangeUsage;
import io.skiff.api.service.AddressPoolService;
import io.skiff.api.service.AuthenticatedUser;

import java.util.List;
import java.util.Optional;

/**
 * The Core's {@link AddressPoolService}, the one way REST and the shell reach address pools: each call goes to the
 * address pool provider the settings name ({@link InstanceProviders#namedAddressPools}), looked up again on every
 * call, so a provider's coming and going or a changed setting is seen at once; while it is missing, calls fail with
 * {@code provider-unavailable} naming it. No visibility rule applies to address pools: the caller is not consulted.
 */
final class AddressPools implements AddressPoolService {
    private final InstanceProviders providers;

    AddressPools(InstanceProviders providers) {
        this.providers = providers;
    }

    @Override
    public List<AddressPool> list(AuthenticatedUser caller) {
        return providers.namedAddressPools().list();
    }

    @Override
    public AddressPool get(String poolId, AuthenticatedUser caller) {
        return providers.namedAddressPools().get(poolId);
    }

    @Override
    public AddressPool create(AddressPool pool, AuthenticatedUser caller) {
        return providers.namedAddressPools().create(pool);
    }

    @Override
    public AddressPool update(String poolId, String gateway, List<String> dnsServers, String domain,
                              AuthenticatedUser caller) {
        return providers.namedAddressPools().update(poolId, gateway, dnsServers, domain);
    }

    @Override
    public void delete(String poolId, AuthenticatedUser caller) {
        providers.namedAddressPools().delete(poolId);
    }

    @Override
    public AddressPool addRange(String poolId, AddressRange range, AuthenticatedUser caller) {
        return providers.namedAddressPools().addRange(poolId, range);
    }

    @Override
    public AddressPool removeRange(String poolId, AddressRange range, AuthenticatedUser caller) {
        return providers.namedAddressPools().removeRange(poolId, range);
    }

    @Override
    public AddressPool attach(String poolId, String computePoolId, AuthenticatedUser caller) {
        return providers.namedAddressPools().attach(poolId, computePoolId);
    }

    @Override
    public AddressPool detach(String poolId, String computePoolId, AuthenticatedUser caller) {
        return providers.namedAddressPools().detach(poolId, computePoolId);
    }

    @Override
    public Optional<AddressPool> forComputePool(String computePoolId, AuthenticatedUser caller) {
        return providers.namedAddressPools().forComputePool(computePoolId);
    }

    @Override
    public List<AddressRangeUsage> usage(String poolId, AuthenticatedUser caller) {
        return providers.namedAddressPools().usage(poolId);
    }

    @Override
    public List<AddressBinding> bindings(String poolId, AuthenticatedUser caller) {
        return providers.namedAddressPools().bindings(poolId);
    }

    @Override
    public Optional<AddressBinding> bindingOf(String instanceId, AuthenticatedUser caller) {
        return providers.namedAddressPools().bindingOf(instanceId);
    }
}
