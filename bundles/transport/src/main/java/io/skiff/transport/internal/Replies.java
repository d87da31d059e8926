package io.skiff.transport.internal;

import java.util.concurrent.CompletionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.skiff.api.service.SkiffException;
import io.skiff.api.transport.RemoteException;
import io.skiff.api.transport.TransportException;

/**
 * The answer to a request as it crosses the wire, both ends in one place: on the node that answers, the handler's
 * value or failure becomes a {@code reply} or {@code error} envelope (the error with the failure's kind, code and
 * field); on the node that asked, that envelope becomes the value again, or a {@link RemoteException}.
 */
final class Replies {
    private static final Logger LOG = LoggerFactory.getLogger(JGroupsTransport.class);
    private final ObjectMapper mapper;

    Replies(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * @param request the request answered
     * @param from the node that sent it, for the log
     * @param value the handler's value, when there is no failure
     * @param failure the handler's failure, or {@code null}
     * @param code the error code to give instead of the failure's own, or {@code null}
     * @return the reply carrying {@code value}; the error describing {@code failure}, or why {@code value} cannot be
     *         mapped to JSON
     */
    Envelope answer(Envelope request, String from, Object value, Throwable failure, String code) {
        if (failure == null) {
            try {
                return Envelope.create(request.type(), request.id(), Envelope.Kind.REPLY,
                        ReceivedMessage.toTree(mapper, value));
            } catch (RuntimeException ex) {
                failure = ex;
            }
        }
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        String errorCode = code != null ? code
                : cause instanceof SkiffException se ? se.code() : "handler-failed";
        String message = cause.getMessage() != null ? cause.getMessage() : cause.toString();
        String kind = cause instanceof SkiffException se ? se.kind().name() : SkiffException.Kind.INTERNAL.name();
        String field = cause instanceof SkiffException se ? se.field() : null;
        if (!JGroupsTransport.NOT_READY.equals(errorCode)) {
            LOG.warn("request {} from {} failed: {}", request.type(), from, message);
        } else {
            LOG.debug("request {} from {}: {}", request.type(), from, message);
        }
        return Envelope.create(request.type(), request.id(), Envelope.Kind.ERROR,
                mapper.valueToTree(new Envelope.ErrorBody(errorCode, message, kind, field)));
    }

    /**
     * @param payload what the dispatcher delivered as the answer to a request of {@code type} to {@code node}
     * @return its envelope; a {@link TransportException} when it is not a reply or error this node reads
     */
    Envelope read(Object payload, String node, String type) {
        if (!(payload instanceof byte[] json)) {
            throw new TransportException("unreadable reply to " + type + " from " + node + ": "
                    + (payload == null ? "no payload" : payload.getClass().getName()));
        }
        Envelope reply;
        try {
            reply = mapper.readValue(json, Envelope.class);
        } catch (Exception ex) {
            throw new TransportException("unreadable reply to " + type + " from " + node + ": " + ex.getMessage(), ex);
        }
        if (!Envelope.accepted(reply.v())) {
            LOG.warn("dropped {} {} from {}: message version {} (this node accepts {})", reply.kind(), reply.type(),
                    node, reply.v(), Envelope.acceptedVersions());
            throw new TransportException("node " + node + " answered " + type + " in message version " + reply.v()
                    + " (this node accepts " + Envelope.acceptedVersions() + ")");
        }
        if (reply.kind() != Envelope.Kind.REPLY && reply.kind() != Envelope.Kind.ERROR) {
            throw new TransportException("node " + node + " answered " + type + " with a message of kind "
                    + reply.kind());
        }
        return reply;
    }

    /**
     * @return the body of {@code reply} as {@code replyType}; a {@link RemoteException} when {@code node} answered
     *         with an error, a {@link TransportException} when the body is not a {@code replyType}
     */
    <R> R value(Envelope reply, String node, Class<R> replyType) {
        if (reply.kind() == Envelope.Kind.ERROR) {
            Envelope.ErrorBody error;
            try {
                error = ReceivedMessage.mapBody(mapper, reply.body(), Envelope.ErrorBody.class);
            } catch (IllegalArgumentException ex) {
                error = null;
            }
            throw error == null
                    ? new RemoteException(node, reply.type(), SkiffException.Kind.INTERNAL, "unknown", null,
                            "unknown error")
                    : new RemoteException(node, reply.type(), kindOf(error), error.code(), error.field(),
                            error.message());
        }
        try {
            return ReceivedMessage.mapBody(mapper, reply.body(), replyType);
        } catch (IllegalArgumentException ex) {
            throw new TransportException(
                    "unreadable reply to " + reply.type() + " from " + node + ": " + ex.getMessage(), ex);
        }
    }

    /** The kind an error reply names; older nodes name none, and their "no-handler" means not ready yet. */
    private static SkiffException.Kind kindOf(Envelope.ErrorBody error) {
        if (error.kind() != null) {
            try {
                return SkiffException.Kind.valueOf(error.kind());
            } catch (IllegalArgumentException unknown) {
                return SkiffException.Kind.INTERNAL;
            }
        }
        return "no-handler".equals(error.code()) ? SkiffException.Kind.UNAVAILABLE : SkiffException.Kind.INTERNAL;
    }
}
