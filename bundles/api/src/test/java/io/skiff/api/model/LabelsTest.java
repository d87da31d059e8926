package io.skiff.api.model;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rules of labels and label selectors ({@link Labels}). */
class LabelsTest {

    @Test
    void goodLabelsComeBackSortedByKey() {
        Map<String, String> checked = Labels.check(Map.of("tier", "web", "example.com/team", "core-1", "a", "B.2_x"));
        assertEquals(List.of("a", "example.com/team", "tier"), List.copyOf(checked.keySet()));
        assertEquals(Map.of(), Labels.check(null));
        assertThrows(UnsupportedOperationException.class, () -> checked.put("x", "y"));
    }

    @Test
    void badKeysValuesAndTooManyAreRefusedNamingTheCulprit() {
        for (String key : List.of("", "-tier", "tier-", "tier web", "ä", "x".repeat(64))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Labels.check(Map.of(key, "v")), key);
            assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
        }
        for (String value : List.of("", "a b", ".x", "a/b", "v".repeat(64))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Labels.check(Map.of("k", value)), value);
            assertTrue(e.getMessage().startsWith("label 'k' has a bad value"), e.getMessage());
        }
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("k", null);
        assertThrows(IllegalArgumentException.class, () -> Labels.check(nullValue));
        Map<String, String> many = new HashMap<>();
        for (int i = 0; i <= Labels.MAX_LABELS; i++) {
            many.put("k" + i, "v");
        }
        assertEquals("at most 64 labels, not 65",
                assertThrows(IllegalArgumentException.class, () -> Labels.check(many)).getMessage());
        assertEquals(Labels.MAX_LABELS, Labels.check(Map.copyOf(many.entrySet().stream().skip(1)
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)))).size());
    }

    @Test
    void selectorsAskAValueOrThePresenceOfAKey() {
        Map<String, String> wanted = Labels.selectors(List.of("tier=web", "env", ""));
        assertEquals(Map.of("tier", "web", "env", ""), wanted);
        assertTrue(Labels.satisfy(Map.of("tier", "web", "env", "prod", "x", "y"), wanted));
        assertFalse(Labels.satisfy(Map.of("tier", "web"), wanted), "env missing");
        assertFalse(Labels.satisfy(Map.of("tier", "db", "env", "prod"), wanted), "other tier");
        assertFalse(Labels.satisfy(Map.of(), wanted));
        assertTrue(Labels.satisfy(Map.of(), Map.of()), "no selector: everything");
        assertEquals(Map.of(), Labels.selectors(null));
        assertThrows(IllegalArgumentException.class, () -> Labels.selectors(List.of("tier=")));
        assertThrows(IllegalArgumentException.class, () -> Labels.selectors(List.of("=web")));
        assertEquals("label selectors ask two values of 'tier'", assertThrows(IllegalArgumentException.class,
                () -> Labels.selectors(List.of("tier=web", "tier=db"))).getMessage());
        assertEquals(Map.of("tier", "web"), Labels.selectors(List.of("tier=web", "tier=web")), "the same twice");
    }

    @Test
    void aSpecKeepsItsLabelsThroughEveryWithAndAnOldOneHasNone() {
        InstanceSpec spec = new InstanceSpec("vm", "pool", null, 1, 64L << 20, List.of(), "linux-virtio", null, false)
                .withLabels(Map.of("tier", "web"));
        for (InstanceSpec changed : List.of(spec.withDisks(List.of()), spec.withMedia("m"), spec.withBootFrom("cdrom"),
                spec.withShape("vm2", 2, 128L << 20), spec.withGuestInit(null), spec.withQos(null),
                spec.withRestartPolicy("always"))) {
            assertEquals(Map.of("tier", "web"), changed.labels());
        }
        assertEquals(Map.of(), new InstanceSpec("vm", "pool", null, 1, 64L << 20, List.of(), "linux-virtio", null,
                false, null, null, null, null, null, null).labels());
    }
}
