package io.skiff.api.service;

/**
 * An error a caller can act on. The REST layer maps it to {@code {"error":{"code","message","field"}}}
 * with a status taken from {@link Kind}; the shell prints its message on one line.
 */
public class SkiffException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What went wrong, which decides the HTTP status. */
    public enum Kind {
        /** 400: the request is malformed or a value is invalid. */
        INVALID(400),
        /** 401: no or wrong credentials. */
        UNAUTHENTICATED(401),
        /** 403: the caller lacks a permission. */
        FORBIDDEN(403),
        /** 404: the named resource does not exist. */
        NOT_FOUND(404),
        /** 409: the request clashes with the current state. */
        CONFLICT(409),
        /** 503: a provider or node needed for the request is not available. */
        UNAVAILABLE(503),
        /** 500: a bug or an unexpected failure. */
        INTERNAL(500);

        private final int status;

        Kind(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final Kind kind;
    private final String code;
    private final String field;

    public SkiffException(Kind kind, String code, String message, String field) {
        super(message);
        this.kind = kind;
        this.code = code;
        this.field = field;
    }

    public static SkiffException invalid(String field, String message) {
        return new SkiffException(Kind.INVALID, "invalid", message, field);
    }

    public static SkiffException notFound(String what, String id) {
        return new SkiffException(Kind.NOT_FOUND, "not-found", what + " '" + id + "' does not exist", null);
    }

    public static SkiffException notFound(String field, String what, String id) {
        return new SkiffException(Kind.NOT_FOUND, "not-found", what + " '" + id + "' does not exist", field);
    }

    public static SkiffException conflict(String field, String message) {
        return new SkiffException(Kind.CONFLICT, "conflict", message, field);
    }

    /**
     * A request needs a provider that is not registered now (its bundle stopped, being updated, or removed).
     *
     * @param spi the SPI's simple name, e.g. {@code StorageBackend}
     * @param provider the provider's {@code skiff.provider}
     * @param where the node that lacks it, or {@code null}
     */
    public static SkiffException providerUnavailable(String spi, String provider, String where) {
        return new SkiffException(Kind.UNAVAILABLE, "provider-unavailable", "provider " + provider + " (" + spi
                + ") is not available" + (where == null ? "" : " on " + where), "provider");
    }

    public static SkiffException unavailable(String message) {
        return new SkiffException(Kind.UNAVAILABLE, "unavailable", message, null);
    }

    public Kind kind() {
        return kind;
    }

    public String code() {
        return code;
    }

    /** @return the request field the error is about, or {@code null} */
    public String field() {
        return field;
    }
}
