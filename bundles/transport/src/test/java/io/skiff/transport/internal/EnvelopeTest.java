package io.skiff.transport.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

class EnvelopeTest {
    record Report(String cell, Instant at) {
    }

    private final ObjectMapper mapper = TransportComponent.newObjectMapper();

    @Test
    void wireFormatIsTheDocumentedJson() throws Exception {
        Envelope e = new Envelope(1, "cell.report", "11111111-1111-1111-1111-111111111111", null, Envelope.Kind.EVENT,
                mapper.valueToTree(new Report("cell-1", Instant.parse("2024-05-06T07:08:09Z"))));
        assertEquals("{\"v\":1,\"type\":\"cell.report\",\"id\":\"11111111-1111-1111-1111-111111111111\",\"corr\":null,"
                + "\"kind\":\"event\",\"body\":{\"cell\":\"cell-1\",\"at\":\"2024-05-06T07:08:09Z\"}}",
                mapper.writeValueAsString(e));
    }

    @Test
    void unknownFieldsOfANewerSenderAreIgnored() throws Exception {
        Envelope e = mapper.readValue("{\"v\":1,\"type\":\"t\",\"id\":\"i\",\"corr\":\"c\",\"kind\":\"reply\","
                + "\"body\":{\"cell\":\"c1\",\"extra\":true},\"trace\":\"x\"}", Envelope.class);
        assertEquals(Envelope.Kind.REPLY, e.kind());
        assertEquals(new Report("c1", null), ReceivedMessage.mapBody(mapper, e.body(), Report.class));
    }
}
