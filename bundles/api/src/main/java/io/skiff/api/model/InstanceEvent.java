package io.skiff.api.model;

import java.time.Instant;

/**
 * One thing that happened to an instance, as its operation log entry says: a start or stop someone asked for, a
 * move, a restart by its cell (restart policy), a failover or a fence.
 *
 * @param time when it happened
 * @param action what, e.g. {@code POST /instances/{id}/migrate} or {@code cell restart}
 * @param user who ({@code cell <node>} for what a cell did by itself)
 * @param source {@code rest}, {@code shell}, {@code ssh} or {@code cell}
 * @param outcome {@code success}, {@code denied} or {@code failed}
 * @param taskId the task it queued, or {@code null}
 * @param detail why, or the error, or {@code null}
 */
public record InstanceEvent(Instant time, String action, String user, String source, String outcome, String taskId,
                            String detail) {

    /** @return the event an operation log entry stands for */
    public static InstanceEvent of(OperationRecord r) {
        return new InstanceEvent(r.time(), r.action(), r.user(), r.source(), r.outcome(), r.taskId(), r.detail());
    }
}
