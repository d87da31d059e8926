package io.skiff.transport.internal;

import java.util.Objects;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import io.skiff.api.Skiff;

/**
 * The JSON form of every message on the wire, the payload of a JGroups message:
 * {@code {"v":1,"type":"cell.report","id":"uuid","corr":null,"kind":"event","body":{...}}}.
 *
 * @param v message version ({@code Skiff.MESSAGE_VERSION}); receivers accept v and v-1
 * @param type message type, which selects the handler
 * @param id unique id of this message
 * @param corr for a reply or error, the id of the request it answers; otherwise {@code null}. Requests and replies
 *        travel through JGroups' {@code MessageDispatcher}, whose own header correlates them; {@code corr} is what a
 *        node of the previous transport, which correlated by envelope, reads and writes
 * @param kind what the message is
 * @param body the record mapped to JSON, may be {@code null}
 */
record Envelope(int v, String type, String id, String corr, Kind kind, JsonNode body) {

    /** @return a new message of this node's version with a fresh id */
    static Envelope create(String type, String corr, Kind kind, JsonNode body) {
        Objects.requireNonNull(type, "type");
        return new Envelope(Skiff.MESSAGE_VERSION, type, UUID.randomUUID().toString(), corr, kind, body);
    }

    /** @return whether this node reads messages of version {@code v}: its own and the one before */
    static boolean accepted(int v) {
        return v == Skiff.MESSAGE_VERSION || v == Skiff.MESSAGE_VERSION - 1;
    }

    /** @return the versions this node reads, for log and error messages */
    static String acceptedVersions() {
        return (Skiff.MESSAGE_VERSION - 1) + " and " + Skiff.MESSAGE_VERSION;
    }

    /** What a message is, which decides how the receiver treats it. */
    enum Kind {
        @JsonProperty("event") EVENT,
        @JsonProperty("request") REQUEST,
        @JsonProperty("reply") REPLY,
        @JsonProperty("error") ERROR;

        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * The body of an {@link Kind#ERROR} reply: the error as the answering node raised it.
     *
     * @param code the error's code, e.g. {@code not-found}
     * @param message its message
     * @param kind the {@code SkiffException.Kind} name, {@code null} from nodes of an older version
     * @param field the request field it is about, or {@code null}
     */
    record ErrorBody(String code, String message, String kind, String field) {
        ErrorBody(String code, String message) {
            this(code, message, null, null);
        }
    }
}
