package io.skiff.api.spi;

import java.util.Map;

/** Tells a guest what to be at first boot (hostname, users, keys, disks). */
public interface GuestInitializer {

    /**
     * @param instanceId the instance
     * @param settings hostname, admin password hash, SSH keys, ...
     * @return path of a seed the hypervisor attaches (e.g. a cloud-init NoCloud ISO)
     */
    String prepareSeed(String instanceId, Map<String, String> settings);

    void removeSeed(String instanceId);
}
