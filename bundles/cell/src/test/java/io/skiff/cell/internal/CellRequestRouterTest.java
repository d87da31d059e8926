package io.skiff.cell.internal;

import io.skiff.api.cell.CellProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CellRequestRouterTest {

    @Test
    void everyRequestOfTheProtocolHasAHandlerUntilTheCellStops(@TempDir Path dir) throws Exception {
        Set<String> requests = new TreeSet<>();
        for (Field f : CellProtocol.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class
                    && !f.getName().equals("INSTANCES_REPORT") && !f.getName().equals("INSTANCE_RESTART")) {
                requests.add((String) f.get(null));
            }
        }
        FakeTransport transport;
        try (CellFixture cell = new CellFixture(dir, Map.of())) {
            transport = cell.transport;
            // 30 before migration TLS (MIGRATION_TLS_INSTALL), 31 before failover (CORE_STOPPING, CORE_STARTED, which
            // the cell subscribes to; INSTANCE_RESTART is one it publishes, left out above), 33 before CORE_ALIVE
            assertEquals(34, requests.size());
            assertEquals(requests, new TreeSet<>(transport.handlers.keySet()));
        }
        assertTrue(transport.handlers.isEmpty(), "unregistered when the component deactivates");
    }
}
