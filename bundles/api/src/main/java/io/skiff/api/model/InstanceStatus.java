package io.skiff.api.model;

import java.time.Instant;

/**
 * An instance as it is: its spec, where it runs, what state it is in and its live figures.
 *
 * @param id unique id
 * @param spec the desired state
 * @param state current life-cycle state
 * @param cellId the cell hosting it
 * @param owner the user owning it
 * @param group the owner's group
 * @param address the IPv4 address bound to it, or {@code null}
 * @param stats live figures while it runs, else {@code null}
 * @param lastError why the last operation on it failed, or {@code null}
 * @param taskId the task working on it now, or {@code null}
 * @param createdAt creation time
 * @param updatedAt time of the last change
 */
public record InstanceStatus(String id, InstanceSpec spec, InstanceState state, String cellId, String owner,
                             String group, String address, InstanceStats stats, String lastError, String taskId,
                             Instant createdAt, Instant updatedAt) {
}
