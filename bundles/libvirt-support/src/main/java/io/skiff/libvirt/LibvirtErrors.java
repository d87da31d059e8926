package io.skiff.libvirt;

import io.skiff.api.service.SkiffException;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;

/** Turns libvirt's errors into {@link SkiffException}s that name the instance, the action and libvirt's reason. */
public final class LibvirtErrors {
    /**
     * libvirt's {@code VIR_ERR_OPERATION_TIMEOUT}. libvirt-java 0.5.2 turns libvirt's error number into its
     * {@link ErrorNumber} by position, and that enum lacks libvirt's four nwfilter codes (60 to 63): from 60 on its
     * names are off by four ({@code ErrorNumber.VIR_ERR_OPERATION_TIMEOUT} is libvirt's 64, {@code VIR_WAR_NO_SECRET}),
     * and every code from 80 on reads {@code VIR_ERR_UNKNOWN}. Codes below 60 are named right.
     */
    static final int OPERATION_TIMEOUT = 68;

    private LibvirtErrors() {
    }

    public static boolean is(LibvirtException e, ErrorNumber code) {
        return e.getError() != null && e.getError().getCode() == code;
    }

    /** @return whether the error says the connection to libvirtd is gone or unusable */
    public static boolean isConnectionError(LibvirtException e) {
        return is(e, ErrorNumber.VIR_ERR_INVALID_CONN) || is(e, ErrorNumber.VIR_ERR_NO_CONNECT)
                || is(e, ErrorNumber.VIR_ERR_RPC) || is(e, ErrorNumber.VIR_ERR_AUTH_FAILED);
    }

    /** @return libvirt's own description of the error */
    public static String reason(LibvirtException e) {
        String message = e.getError() != null ? e.getError().getMessage() : e.getMessage();
        return message == null || message.isBlank() ? String.valueOf(e.getError()) : message.strip();
    }

    /** @return libvirt's own number of the error (the enum's position, see {@link #OPERATION_TIMEOUT}), or -1 */
    public static int number(LibvirtException e) {
        return e.getError() == null || e.getError().getCode() == null ? -1 : e.getError().getCode().ordinal();
    }

    /**
     * @param subject what the call was about, e.g. {@code "instance 42"}
     * @param action what Skiff tried, e.g. {@code "starting domain skiff-42"}
     */
    public static SkiffException toSkiff(String subject, String action, LibvirtException e) {
        String message = subject + ": " + action + " failed: " + reason(e);
        if (number(e) == OPERATION_TIMEOUT) {
            return SkiffException.unavailable(message);
        }
        ErrorNumber code = e.getError() != null ? e.getError().getCode() : ErrorNumber.VIR_ERR_UNKNOWN;
        return switch (code) {
            case VIR_ERR_NO_DOMAIN -> new SkiffException(SkiffException.Kind.NOT_FOUND, "not-found", message, null);
            case VIR_ERR_OPERATION_INVALID, VIR_ERR_DOM_EXIST ->
                    new SkiffException(SkiffException.Kind.CONFLICT, "conflict", message, null);
            case VIR_ERR_NO_CONNECT, VIR_ERR_INVALID_CONN, VIR_ERR_RPC, VIR_ERR_AUTH_FAILED ->
                    SkiffException.unavailable(message);
            default -> internal(message, e);
        };
    }

    public static SkiffException internal(String message, Throwable cause) {
        SkiffException e = new SkiffException(SkiffException.Kind.INTERNAL, "internal", message, null);
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }
}
