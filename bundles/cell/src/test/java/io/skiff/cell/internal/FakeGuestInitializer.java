package io.skiff.cell.internal;

import io.skiff.api.spi.DiskAttachment;
import io.skiff.api.spi.GuestInitSpec;
import io.skiff.api.spi.GuestInitializer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link GuestInitializer} for unit tests: remembers the seeds it would have written. */
class FakeGuestInitializer implements GuestInitializer {
    final Map<String, GuestInitSpec> seeds = new ConcurrentHashMap<>();

    @Override
    public DiskAttachment prepareSeed(String instanceId, GuestInitSpec spec) {
        seeds.put(instanceId, spec);
        return new DiskAttachment("/seeds/" + instanceId + ".iso", "raw", "cdrom", true);
    }

    @Override
    public void removeSeed(String instanceId) {
        seeds.remove(instanceId);
    }
}
