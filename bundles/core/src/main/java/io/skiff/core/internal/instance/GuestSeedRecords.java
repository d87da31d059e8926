package io.skiff.core.internal.instance;

import io.skiff.guestinput.GuestInput;
import io.skiff.api.model.GuestInit;
import io.skiff.api.service.GuestSeedService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an instance's guest-initialisation settings in step with what the guest agent changed in the running guest
 * (its host name), so that the next first boot gives the same.
 */
final class GuestSeedRecords implements GuestSeedService {
    private static final Logger LOG = LoggerFactory.getLogger(GuestSeedRecords.class);

    private final InstanceRecords records;
    private final InstanceSettings settings;

    GuestSeedRecords(InstanceRecords records, InstanceSettings settings) {
        this.records = records;
        this.settings = settings;
    }

    @Override
    public void recordHostname(String instanceId, String hostname) {
        GuestInput.hostname("hostname", hostname);
        settings.scheduler().locked(() -> {
            InstanceRecord now = records.require(instanceId);
            GuestInit init = now.spec().guestInit();
            if (init != null) {
                records.saveSpec(now, now.spec().withGuestInit(new GuestInit(hostname, init.adminUser(), null,
                        init.adminPasswordHash(), init.sshKeys(), init.mounts())));
                LOG.debug("instance {} ({}): seed host name {}", now.spec().name(), now.id(), hostname);
            }
            return null;
        });
    }
}
