package io.skiff.api.transport;

/** A request could not be delivered or answered (time-out, unknown node, remote error). */
public class TransportException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TransportException(String message) {
        super(message);
    }

    public TransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
