package io.skiff.api.spi;

import java.time.Duration;
import java.util.List;

/**
 * Drives the virtual machines of one host. Domains are named by instance id.
 * Registered with {@code skiff.provider} (e.g. {@code libvirt}).
 */
public interface Hypervisor {

    HostCapabilities capabilities();

    /** Defines (persistently) a domain from its XML. */
    void define(String instanceId, String domainXml);

    void start(String instanceId);

    /** Asks the guest to shut down; forces it off after {@code timeout}. */
    void shutdown(String instanceId, Duration timeout);

    /** Forces the domain off. */
    void destroy(String instanceId);

    /** Removes the domain's definition; tolerates a domain that does not exist. */
    void undefine(String instanceId);

    DomainState state(String instanceId);

    /** @return ids of the domains this host runs that Skiff owns */
    List<String> domains();
}
