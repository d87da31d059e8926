package io.skiff.api.model;

import java.time.Instant;

/**
 * One entry of the operation log: a state-changing call, a refused attempt or a failed sign-in.
 * Never holds passwords or tokens.
 *
 * @param time when it happened
 * @param user who (the claimed name for a failed sign-in)
 * @param address where from: the client's IP address, {@code ssh} or {@code console}
 * @param source {@code rest}, {@code shell} or {@code ssh}
 * @param action what, e.g. {@code POST /instances/{id}/start} or {@code skiff:instance-start}
 * @param resource on which resource, e.g. {@code instances/web-1}, or {@code null}
 * @param outcome {@code success}, {@code denied} (no permission, not visible, quota, bad credentials) or
 *                {@code failed}
 * @param status HTTP status (0 for the shell)
 * @param taskId the task it queued, or {@code null}
 * @param detail the error message when it did not succeed, or {@code null}
 */
public record OperationRecord(Instant time, String user, String address, String source, String action,
                              String resource, String outcome, int status, String taskId, String detail) {

    public static final String SUCCESS = "success";
    public static final String DENIED = "denied";
    public static final String FAILED = "failed";
}
