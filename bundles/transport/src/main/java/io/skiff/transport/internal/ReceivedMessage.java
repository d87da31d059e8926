package io.skiff.transport.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.skiff.api.transport.Message;
import io.skiff.api.transport.TransportException;

/** A message as handed to a {@link io.skiff.api.transport.MessageHandler}: the envelope plus its sender's name. */
final class ReceivedMessage implements Message {
    private final Envelope envelope;
    private final String from;
    private final ObjectMapper mapper;

    ReceivedMessage(Envelope envelope, String from, ObjectMapper mapper) {
        this.envelope = envelope;
        this.from = from;
        this.mapper = mapper;
    }

    @Override
    public int version() {
        return envelope.v();
    }

    @Override
    public String type() {
        return envelope.type();
    }

    @Override
    public String from() {
        return from;
    }

    @Override
    public <T> T body(Class<T> cls) {
        return mapBody(mapper, envelope.body(), cls);
    }

    static <T> T mapBody(ObjectMapper mapper, JsonNode body, Class<T> cls) {
        if (body == null || body.isNull() || cls == Void.class) {
            return null;
        }
        try {
            return mapper.treeToValue(body, cls);
        } catch (JsonProcessingException ex) {
            throw new IllegalArgumentException("body is not a " + cls.getSimpleName() + ": " + ex.getOriginalMessage(), ex);
        }
    }

    /** @return {@code body} mapped to JSON, {@code null} for none; a {@link TransportException} when it cannot be */
    static JsonNode toTree(ObjectMapper mapper, Object body) {
        try {
            return body == null ? null : mapper.valueToTree(body);
        } catch (IllegalArgumentException ex) {
            throw new TransportException("cannot map " + body.getClass().getSimpleName() + " to JSON: " + ex.getMessage(), ex);
        }
    }

    @Override
    public String toString() {
        return envelope.kind() + " " + envelope.type() + " from " + from + " (v" + envelope.v() + ")";
    }
}
