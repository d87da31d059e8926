package io.skiff.api.service;

import io.skiff.api.model.OperationRecord;

/**
 * The operation log's rule, the same for every edge (REST, shell): which calls are logged and with which outcome.
 * A call is logged when it may change state or when it was refused; its outcome is {@link OperationRecord#SUCCESS}
 * when it ended without an error, {@link OperationRecord#DENIED} when it was refused (no or wrong credentials, a
 * missing permission, a quota) and {@link OperationRecord#FAILED} otherwise; the entry's detail is the error's
 * message. An edge says only what it knows about its own call: whether it may change state and how it ended.
 *
 * @since 1.2 of this package
 */
public final class OperationLogRule {
    /** The {@link SkiffException#code()} of a refusal because a quota would be exceeded. */
    public static final String QUOTA_EXCEEDED = "quota-exceeded";

    private OperationLogRule() {
    }

    /**
     * @param status the HTTP status the call ended with (for an error, its {@link SkiffException.Kind#status()})
     * @param errorCode the error's {@link SkiffException#code()}, or {@code null}
     * @return the outcome of a call that ended so
     */
    public static String outcome(int status, String errorCode) {
        if (status < 400) {
            return OperationRecord.SUCCESS;
        }
        if (status == SkiffException.Kind.UNAUTHENTICATED.status() || status == SkiffException.Kind.FORBIDDEN.status()
                || QUOTA_EXCEEDED.equals(errorCode)) {
            return OperationRecord.DENIED;
        }
        return OperationRecord.FAILED;
    }

    /**
     * @param error what the call failed with, or {@code null} when it succeeded; anything but a
     *     {@link SkiffException} counts as an internal error
     * @return the outcome of a call that ended so
     */
    public static String outcome(Throwable error) {
        if (error == null) {
            return OperationRecord.SUCCESS;
        }
        if (error instanceof SkiffException e) {
            return outcome(e.kind().status(), e.code());
        }
        return outcome(SkiffException.Kind.INTERNAL.status(), null);
    }

    /**
     * @param changesState whether the call may change state (for the shell: {@link Permissions#changesState}; for
     *     REST: its HTTP method is not a safe one)
     * @param outcome its outcome ({@link #outcome})
     * @return whether the call is written to the operation log
     */
    public static boolean logged(boolean changesState, String outcome) {
        return changesState || OperationRecord.DENIED.equals(outcome);
    }
}
