package io.skiff.rest.internal;

import io.skiff.api.model.InstanceSpec;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * {@code POST /instances} (and a batch's spec) passes on what the body names and leaves out what it does not: the Core
 * fills in its defaults ({@code GET /instance-defaults}) and checks the values, naming the field.
 */
class InstanceCreateRequestTest {
    private static final List<Requests.Disk> DISK = List.of(new Requests.Disk(1L << 30, null, null, null));

    @Test
    void omittedCoresAndMemoryAreLeftToTheCore() {
        InstanceSpec spec = InstanceResource.toSpec(new Requests.InstanceCreate("web-1", "vms", null, null, null, DISK,
                null, null, null, null, null, null, null, null, null, null));
        assertNull(spec.cores());
        assertNull(spec.memoryBytes());
        assertNull(spec.profile());
    }

    @Test
    void namedValuesArePassedOnUnchecked() {
        InstanceSpec spec = InstanceResource.toSpec(new Requests.InstanceCreate("web-1", "vms", null, 0, 256L << 20,
                DISK, "linux-virtio", null, null, null, null, null, null, null, "on-failure",
                java.util.Map.of("tier", "web", "env", "prod")));
        assertEquals(0, spec.cores(), "the Core refuses it, naming cores");
        assertEquals(256L << 20, spec.memoryBytes());
        assertEquals("linux-virtio", spec.profile());
        assertEquals("on-failure", spec.restartPolicy());
        assertEquals(List.of("env", "tier"), List.copyOf(spec.labels().keySet()), "sorted by key");
    }

    @Test
    void labelSelectorsAreReadOrRefusedNamingTheParameter() {
        assertEquals(java.util.Map.of("tier", "web", "env", ""),
                Filters.labels("label", List.of("tier=web", "env")));
        io.skiff.api.service.SkiffException e = org.junit.jupiter.api.Assertions.assertThrows(
                io.skiff.api.service.SkiffException.class, () -> Filters.labels("label", List.of("tier=")));
        assertEquals("label", e.field());
    }
}
