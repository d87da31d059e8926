package io.skiff.core.internal.instance;

import io.skiff.api.model.DiskSpec;
import io.skiff.api.model.InstanceSpec;
import io.skiff.api.model.InstanceState;

import java.time.Instant;

/**
 * The durable part of an instance (state store type {@value #TYPE}): what it should be, where it was
 * placed, and the state its last task left it in. Live figures come from the cell's reports.
 */
public record InstanceRecord(String id, InstanceSpec spec, String cellId, String owner, String group,
                             InstanceState state, String lastError, String taskId, Instant createdAt,
                             Instant updatedAt) {
    public static final String TYPE = "instance";

    public boolean usesImage(String imageId) {
        return spec.disks().stream().filter(DiskSpec::linkedClone).map(DiskSpec::imageId).anyMatch(imageId::equals);
    }

    InstanceRecord with(InstanceState newState, String error, String task, Instant now) {
        return new InstanceRecord(id, spec, cellId, owner, group, newState, error, task, createdAt, now);
    }

    InstanceRecord withSpec(InstanceSpec newSpec, Instant now) {
        return new InstanceRecord(id, newSpec, cellId, owner, group, state, lastError, taskId, createdAt, now);
    }

    InstanceRecord withCell(String newCellId, Instant now) {
        return new InstanceRecord(id, spec, newCellId, owner, group, state, lastError, taskId, createdAt, now);
    }

    /** Volume names are derived from the instance id, so a cell can find orphans. */
    static String volumeName(String instanceId, int index) {
        return "skiff-" + instanceId + "-disk" + index;
    }
}
