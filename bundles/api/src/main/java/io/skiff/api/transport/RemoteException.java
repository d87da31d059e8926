package io.skiff.api.transport;

import io.skiff.api.service.SkiffException;

/**
 * The other node received a request and answered it with an error: its handler failed, or it has no handler for the
 * request's type yet. It carries the error's kind, code and field as the answering node raised them, so that a caller
 * can rethrow the same {@link SkiffException} and never needs to read the message text.
 */
public class RemoteException extends TransportException {
    private static final long serialVersionUID = 1L;

    private final String node;
    private final SkiffException.Kind kind;
    private final String code;
    private final String field;
    private final String remoteMessage;

    /**
     * @param node the node that answered
     * @param type the request's message type
     * @param kind the error's kind ({@code INTERNAL} when the other node did not say)
     * @param code the error's code, e.g. {@code not-found}
     * @param field the request field the error is about, or {@code null}
     * @param remoteMessage the message as the other node wrote it
     */
    public RemoteException(String node, String type, SkiffException.Kind kind, String code, String field,
                           String remoteMessage) {
        super("node " + node + " answered " + type + " with an error: " + remoteMessage + " [" + code + "]");
        this.node = node;
        this.kind = kind == null ? SkiffException.Kind.INTERNAL : kind;
        this.code = code;
        this.field = field;
        this.remoteMessage = remoteMessage;
    }

    /** @return the node that answered */
    public String node() {
        return node;
    }

    /** @return the error's kind on the answering node */
    public SkiffException.Kind kind() {
        return kind;
    }

    /** @return the error's code */
    public String code() {
        return code;
    }

    /** @return the request field the error is about, or {@code null} */
    public String field() {
        return field;
    }

    /** @return the message as the answering node wrote it */
    public String remoteMessage() {
        return remoteMessage;
    }

    /** @return the same error as a {@link SkiffException}, its message prefixed with what was asked of whom */
    public SkiffException toSkiffException(String prefix) {
        return new SkiffException(kind, code, prefix + remoteMessage, field);
    }
}
