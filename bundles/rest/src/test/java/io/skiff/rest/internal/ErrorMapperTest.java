package io.skiff.rest.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.skiff.api.service.SkiffException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Request bodies are read strictly, and every failure becomes the error JSON with the field named. */
class ErrorMapperTest {
    private final ObjectMapper mapper = JsonMapper.create();

    private ErrorMapper.Mapped readAndMap(String json) {
        Exception e = assertThrows(Exception.class, () -> mapper.readValue(json, Requests.PoolCreate.class));
        return ErrorMapper.classify(e);
    }

    @Test
    void unknownFieldIsNamed() {
        ErrorMapper.Mapped m = readAndMap("{\"name\":\"a\",\"colour\":\"red\"}");
        assertEquals(400, m.status());
        assertEquals("colour", m.body().error().field());
        assertEquals("invalid", m.body().error().code());
    }

    @Test
    void malformedJsonNamesTheBody() {
        ErrorMapper.Mapped m = readAndMap("{\"name\":");
        assertEquals(400, m.status());
        assertEquals("body", m.body().error().field());
        assertTrue(m.body().error().message().startsWith("malformed JSON"));
    }

    @Test
    void wrongTypeNamesTheField() {
        ErrorMapper.Mapped m = readAndMap("{\"name\":{\"nested\":true}}");
        assertEquals(400, m.status());
        assertEquals("name", m.body().error().field());
    }

    @Test
    void trailingGarbageIsRefused() {
        assertEquals(400, readAndMap("{\"name\":\"a\"} {}").status());
    }

    @Test
    void skiffExceptionsKeepTheirKindAndField() {
        assertEquals(400, ErrorMapper.classify(SkiffException.invalid("name", "bad")).status());
        ErrorMapper.Mapped notFound = ErrorMapper.classify(SkiffException.notFound("pool", "compute pool", "x"));
        assertEquals(404, notFound.status());
        assertEquals("pool", notFound.body().error().field());
        assertEquals(409, ErrorMapper.classify(SkiffException.conflict("name", "dup")).status());
        assertEquals(503, ErrorMapper.classify(SkiffException.unavailable("gone")).status());
    }

    /** A cell's refusal naming a field crosses the wire and reaches the REST caller as the same 4xx and field. */
    @Test
    void aCellsErrorReachesTheCallerWithItsKindAndField() {
        io.skiff.api.transport.RemoteException fromCell = new io.skiff.api.transport.RemoteException("vm",
                "instance.resize-disk", SkiffException.Kind.INVALID, "invalid", "sizeBytes",
                "the disk holds data up to byte 52428800; 50 MiB is too small");
        ErrorMapper.Mapped m = ErrorMapper.classify(fromCell.toSkiffException("cell vm could not instance.resize-disk: "));
        assertEquals(400, m.status());
        assertEquals("sizeBytes", m.body().error().field());
        assertEquals("invalid", m.body().error().code());
        assertTrue(m.body().error().message().endsWith("50 MiB is too small"), m.body().error().message());
    }

    @Test
    void unexpectedErrorsLeakNothing() {
        ErrorMapper.Mapped bug = ErrorMapper.classify(new IllegalStateException("secret detail"));
        assertEquals(500, bug.status());
        assertTrue(!bug.body().error().message().contains("secret detail"), "no internals leak");
        assertNull(bug.body().error().field());
    }

    @Test
    void validBodyMapsToRecord() throws Exception {
        Requests.PoolCreate body = mapper.readValue("{\"name\":\"prod\",\"description\":\"d\"}", Requests.PoolCreate.class);
        assertEquals("prod", body.name());
        assertEquals("d", body.description());
    }
}
