package io.skiff.api.service;

import io.skiff.api.model.TaskInfo;

/** An instance's address in its address pool. */
@org.osgi.annotation.versioning.ProviderType
public interface InstanceAddressService {

    /**
     * Moves the instance to another address of its address pool: a task that rebinds the address and gives
     * the instance's cell the new lease (the guest takes it at its next DHCP renewal or boot).
     */
    TaskInfo rebindAddress(String idOrName, String address, AuthenticatedUser caller);
}
