package io.skiff.core.internal.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skiff.api.model.AddressPool;
import io.skiff.api.model.AddressRange;
import io.skiff.api.model.Cell;
import io.skiff.api.model.CellResources;
import io.skiff.api.model.CellStatus;
import io.skiff.api.model.ComputePool;
import io.skiff.api.model.DiskImage;
import io.skiff.api.model.DiskSpec;
import io.skiff.api.model.InstanceSpec;
import io.skiff.api.model.InstanceState;
import io.skiff.api.model.InstanceStatus;
import io.skiff.api.model.Role;
import io.skiff.api.model.StepInfo;
import io.skiff.api.model.StepState;
import io.skiff.api.model.StoragePool;
import io.skiff.api.model.TaskInfo;
import io.skiff.api.model.TaskState;
import io.skiff.api.model.User;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonTest {

    private static final Instant T0 = Instant.parse("2024-05-01T10:15:30.123456789Z");

    private final ObjectMapper mapper = Json.newObjectMapper();

    private <T> T roundTrip(T value, Class<T> cls) throws Exception {
        String json = mapper.writeValueAsString(value);
        T back = mapper.readValue(json, cls);
        assertEquals(value, back, json);
        return back;
    }

    @Test
    void taskInfoRoundTripsWithIsoDates() throws Exception {
        TaskInfo task = new TaskInfo("t-1", "instance.create", List.of("instance:web-1", "cell:a"), "admin",
                TaskState.ROLLING_BACK, 42, "undoing create volume", "step 2/3 'attach' failed: boom",
                List.of(new StepInfo("create volume", "volume", StepState.APPLIED, Map.of("path", "/v/1.qcow2")),
                        new StepInfo("attach", "attach", StepState.UNDO_FAILED, Map.of())),
                T0, T0.plusSeconds(1), null);
        roundTrip(task, TaskInfo.class);

        JsonNode tree = mapper.valueToTree(task);
        assertEquals("2024-05-01T10:15:30.123456789Z", tree.get("createdAt").asText());
        assertTrue(tree.get("createdAt").isTextual(), "dates are ISO strings, not timestamps");
        assertFalse(tree.has("finishedAt"), "null properties are left out");
        assertEquals("APPLIED", tree.get("steps").get(0).get("state").asText());
    }

    @Test
    void modelRecordsRoundTrip() throws Exception {
        CellResources resources = new CellResources(8, 32L << 30, 20L << 30, 1L << 40, 1L << 39, 0.75, T0);
        Cell cell = new Cell("cell-1", "host-a", "10.0.0.2", "pool-1", true, CellStatus.ONLINE, resources, T0, T0);
        Cell back = roundTrip(cell, Cell.class);
        assertTrue(back.allocated());
        assertFalse(mapper.valueToTree(cell).has("allocated"), "derived methods are not properties");

        roundTrip(new ComputePool("pool-1", "default", "the default pool", T0), ComputePool.class);
        roundTrip(new AddressPool("ap-1", "lan", List.of(new AddressRange("10.0.0.10", "10.0.0.99")), 24,
                "10.0.0.1", List.of("10.0.0.1", "9.9.9.9"), "skiff.lan"), AddressPool.class);
        InstanceSpec spec = new InstanceSpec("web-1", "pool-1", null, 2, 2L << 30,
                List.of(new DiskSpec(10L << 30, "local", "img-1")), "linux-virtio", "ap-1", true);
        roundTrip(spec, InstanceSpec.class);
        roundTrip(new InstanceStatus("i-1", spec, InstanceState.RUNNING, "cell-1", "admin", "ops", "10.0.0.10",
                new io.skiff.api.model.InstanceStats(12.5, 1L << 30, 1, 2, 3, 4, T0), null, "task-1", T0,
                T0.plusSeconds(5)), InstanceStatus.class);
        roundTrip(new StoragePool("sp-1", "local", "local", Map.of("path", "/var/lib/skiff"), 100, 50),
                StoragePool.class);
        roundTrip(new DiskImage("img-1", "debian", "admin", "ops", "qcow2", 300, 2000, "ab12", List.of("linux"), T0),
                DiskImage.class);
        roundTrip(new User("admin", "Administrator", "ops", List.of("admin"), true, T0), User.class);
        roundTrip(new Role("admin", Set.of("*"), true), Role.class);
    }

    @Test
    void unknownPropertiesFromNewerNodesAreIgnored() throws Exception {
        String newer = "{\"id\":\"pool-1\",\"name\":\"default\",\"createdAt\":\"2024-05-01T10:15:30Z\","
                + "\"addedInV2\":{\"x\":1}}";
        ComputePool pool = mapper.readValue(newer, ComputePool.class);
        assertEquals("pool-1", pool.id());
        assertEquals(Instant.parse("2024-05-01T10:15:30Z"), pool.createdAt());
        assertNull(pool.description());
    }
}
