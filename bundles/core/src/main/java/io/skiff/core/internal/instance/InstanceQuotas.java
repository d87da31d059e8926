package io.skiff.core.internal.instance;

import io.skiff.api.model.DiskSpec;
import io.skiff.api.model.InstanceSpec;
import io.skiff.api.model.ResourceUsage;
import io.skiff.api.service.IdentityService;

import java.util.Collection;

/**
 * Users' quotas as instances count against them (through the identity service of the auth bundle; without
 * it nothing is limited).
 */
final class InstanceQuotas {
    private final InstanceProviders providers;

    InstanceQuotas(InstanceProviders providers) {
        this.providers = providers;
    }

    /** @return what an instance counts against a quota: itself, its cores, memory and disk sizes */
    static ResourceUsage usage(InstanceSpec spec) {
        long disk = spec.disks().stream().mapToLong(DiskSpec::sizeBytes).sum();
        return new ResourceUsage(1, spec.cores(), spec.memoryBytes(), disk);
    }

    /** Refuses (quota-exceeded, naming the quota and by how much) a create beyond the user's or group's quota. */
    void check(String user, String group, InstanceSpec spec, InstanceRecords records) {
        IdentityService i = providers.identityOrNull();
        if (i == null) {
            return;
        }
        i.checkQuota(user, group, records.usedBy(user), records.usedByGroup(group), usage(spec));
    }

    /** @return what the instances use in all */
    static ResourceUsage sum(Collection<InstanceRecord> instances) {
        ResourceUsage total = ResourceUsage.NONE;
        for (InstanceRecord r : instances) {
            total = total.plus(usage(r.spec()));
        }
        return total;
    }
}
