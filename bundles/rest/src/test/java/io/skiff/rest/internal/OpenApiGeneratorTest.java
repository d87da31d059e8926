package io.skiff.rest.internal;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The OpenAPI document is derived from the resource classes, so it lists exactly their operations. */
class OpenApiGeneratorTest {

    @Test
    @SuppressWarnings("unchecked")
    void documentFollowsTheResources() {
        Map<String, Object> doc = OpenApiGenerator.generate("1.2.3", PermissionTableTest.RESOURCES);
        assertEquals("3.0.3", doc.get("openapi"));
        Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) doc.get("paths");
        assertTrue(paths.keySet().containsAll(List.of("/health", "/openapi.json", "/pools", "/pools/{name}",
                "/cells", "/cells/{id}", "/cells/{id}/add-to-pool", "/cells/{id}/enable", "/tasks", "/tasks/{id}",
                "/sessions")), paths.keySet().toString());
        assertTrue(paths.get("/pools").keySet().containsAll(List.of("get", "post")));
        // the media drive of instances
        assertEquals(java.util.Set.of("post", "delete"), paths.get("/instances/{id}/media").keySet());
        assertEquals(java.util.Set.of("put"), paths.get("/instances/{id}/boot-from").keySet());
        // what a create leaves out, read-only
        assertEquals(java.util.Set.of("get"), paths.get("/instance-defaults").keySet());
        assertEquals("instance.read", ((Map<String, Object>) paths.get("/instance-defaults").get("get"))
                .get("x-skiff-permission"));
        assertTrue(paths.get("/pools/{name}").keySet().containsAll(List.of("get", "put", "delete")));

        Map<String, Object> create = (Map<String, Object>) paths.get("/pools").get("post");
        assertEquals("pool.write", create.get("x-skiff-permission"));
        assertTrue(create.containsKey("requestBody"));
        Map<String, Object> health = (Map<String, Object>) paths.get("/health").get("get");
        assertEquals(List.of(), health.get("security"), "health needs no credentials");

        Map<String, Object> schemas = (Map<String, Object>) ((Map<String, Object>) doc.get("components")).get("schemas");
        assertTrue(schemas.keySet().containsAll(List.of("ComputePool", "Cell", "CellResources", "TaskInfo",
                "ErrorBody", "PoolCreate")), schemas.keySet().toString());
        Map<String, Object> cell = (Map<String, Object>) schemas.get("Cell");
        Map<String, Object> props = (Map<String, Object>) cell.get("properties");
        assertEquals(Map.of("type", "string", "enum", List.of("ONLINE", "OFFLINE", "DUPLICATE_NAME")),
                props.get("status"));

        Map<String, Object> taskList = (Map<String, Object>) paths.get("/tasks").get("get");
        List<Map<String, Object>> params = (List<Map<String, Object>>) taskList.get("parameters");
        assertEquals("state", params.get(0).get("name"));
        assertEquals("query", params.get(0).get("in"));
    }
}
