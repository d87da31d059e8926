package io.skiff.api.model;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class InstanceFilterTest {

    private static InstanceStatus instance(String name, String pool, InstanceState state, String cell, String owner) {
        InstanceSpec spec = new InstanceSpec(name, pool, null, 1, 64L << 20, List.of(), "linux-virtio", null, false)
                .withLabels(name.startsWith("web") ? Map.of("tier", "web", "n", name.substring(4))
                        : Map.of("tier", "db"));
        return new InstanceStatus(name + "-id", spec, state, cell, owner, owner, null, null, null, null, Instant.EPOCH,
                Instant.EPOCH);
    }

    private static final List<InstanceStatus> ALL = List.of(
            instance("web-1", "web", InstanceState.RUNNING, "cell-a", "alice"),
            instance("web-2", "web", InstanceState.STOPPED, "cell-b", "alice"),
            instance("db-1", "db", InstanceState.RUNNING, "cell-a", "bob"),
            instance("db-2", "db", InstanceState.UNKNOWN, null, "bob"));

    private static List<String> names(InstanceFilter filter) {
        return ALL.stream().filter(filter).map(i -> i.spec().name()).toList();
    }

    @Test
    void eachPartNarrowsAndEmptyPartsAskNothing() {
        assertEquals(List.of("web-1", "web-2", "db-1", "db-2"), names(InstanceFilter.ALL));
        assertEquals(List.of("web-1", "web-2", "db-1", "db-2"), names(new InstanceFilter(null, "", "", "", null)));
        assertEquals(List.of("web-1", "db-1"), names(new InstanceFilter(InstanceState.RUNNING, null, null, null, null)));
        assertEquals(List.of("db-1", "db-2"), names(new InstanceFilter(null, "db", null, null, null)));
        assertEquals(List.of("web-1", "db-1"), names(new InstanceFilter(null, null, "cell-a", null, null)));
        assertEquals(List.of("db-1", "db-2"), names(new InstanceFilter(null, null, null, "bob", null)));
        assertEquals(List.of("web-1", "web-2"), names(new InstanceFilter(null, null, null, null, "web-")));
        assertEquals(List.of("web-1"), names(new InstanceFilter(InstanceState.RUNNING, "web", "cell-a", "alice",
                "web")));
        assertEquals(List.of(), names(new InstanceFilter(null, null, "cell-c", null, null)));
        assertEquals(List.of("web-1", "web-2"), names(new InstanceFilter(null, null, null, null, null,
                Map.of("tier", "web"))));
        assertEquals(List.of("web-2"), names(new InstanceFilter(null, null, null, null, null,
                Map.of("tier", "web", "n", "2"))));
        assertEquals(List.of("web-1", "web-2"), names(new InstanceFilter(null, null, null, null, null,
                Map.of("n", ""))), "any value");
        assertEquals(List.of("db-1"), names(new InstanceFilter(InstanceState.RUNNING, "db", null, null, null,
                Map.of("tier", "db"))));
        assertEquals(InstanceFilter.ALL, new InstanceFilter(null, null, null, null, null, null), "no selectors");
    }
}
