package io.skiff.rest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skiff.api.model.StoragePool;
import io.skiff.api.service.SkiffException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@code /storage-pools}: a create passes on the settings the body names (the Core fills in the rest and names the
 * field it refuses), a pool is written with its capacity and compute pools, and the collection's operations are in
 * the OpenAPI document with their permissions; the cells' own pools moved to {@code /cells/storage-pools}.
 */
class StoragePoolResourceTest {
    private final ObjectMapper json = JsonMapper.create();

    @Test
    void aCreatePassesOnOnlyTheSettingsItNames() throws Exception {
        Requests.StoragePoolCreate nfs = json.readValue("{\"name\":\"shared\",\"type\":\"nfs\",\"server\":\"10.0.0.5\","
                + "\"export\":\"/export\"}", Requests.StoragePoolCreate.class);
        assertEquals(Map.of("server", "10.0.0.5", "export", "/export"), StoragePoolResource.settings(nfs));
        Requests.StoragePoolCreate local = new Requests.StoragePoolCreate("disks", "local", null, null, null,
                "/srv/disks");
        assertEquals(Map.of("path", "/srv/disks"), StoragePoolResource.settings(local));
        assertEquals(Map.of(), StoragePoolResource.settings(new Requests.StoragePoolCreate("d", "local", null, null,
                null, null)));
        assertEquals("body", assertThrows(SkiffException.class, () -> Requests.required(null)).field());
    }

    @Test
    void aPoolIsWrittenWithItsCapacityAndComputePools() throws Exception {
        StoragePool pool = new StoragePool("shared", "shared", "nfs", Map.of("server", "nas", "export", "/e",
                "mode", "libnfs"), 1000, 600, List.of("prod"), Instant.parse("2026-01-01T00:00:00Z"));
        JsonNode written = json.readTree(json.writeValueAsString(pool));
        assertEquals("nfs", written.path("provider").asText());
        assertEquals("nas", written.path("settings").path("server").asText());
        assertEquals(1000, written.path("capacityBytes").asLong());
        assertEquals(600, written.path("freeBytes").asLong());
        assertEquals("prod", written.path("computePools").get(0).asText());
    }

    @Test
    @SuppressWarnings("unchecked")
    void theOperationsAreDocumentedWithTheirPermissions() {
        Map<String, Object> doc = OpenApiGenerator.generate("1", PermissionTableTest.RESOURCES);
        Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) doc.get("paths");
        assertEquals(Set.of("get", "post"), paths.get("/storage-pools").keySet());
        assertEquals(Set.of("get", "delete"), paths.get("/storage-pools/{id}").keySet());
        assertEquals(Set.of("post"), paths.get("/storage-pools/{id}/attach").keySet());
        assertEquals(Set.of("post"), paths.get("/storage-pools/{id}/detach").keySet());
        assertEquals(Set.of("get"), paths.get("/cells/storage-pools").keySet());
        Map<String, Object> create = (Map<String, Object>) paths.get("/storage-pools").get("post");
        assertEquals("storage.manage", create.get("x-skiff-permission"));
        assertEquals("storage.read", ((Map<String, Object>) paths.get("/cells/storage-pools").get("get"))
                .get("x-skiff-permission"));
    }
}
