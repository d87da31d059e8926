package io.skiff.core.internal.instance;

import io.skiff.api.task.StepContext;

import java.util.Map;

/**
 * The step data of the migration steps (keys {@code instance}, {@code source}, {@code target}, {@code shared},
 * {@code live}, {@code tls}), recorded before a step asks a cell for anything, so that its undo reaches the same cells after a
 * crash.
 *
 * @param instance the instance's id
 * @param source the cell it leaves
 * @param target the cell it moves to
 * @param shared whether its volumes are on shared storage (only memory moves; they are never deleted)
 * @param live whether it runs (a live migration) rather than moving cold
 * @param tls whether a live migration goes over the hypervisor's migration TLS (and so does one back)
 */
record MigrationData(String instance, String source, String target, boolean shared, boolean live, boolean tls) {

    static MigrationData read(Map<String, String> data) {
        return new MigrationData(data.get("instance"), data.get("source"), data.get("target"),
                Boolean.parseBoolean(data.get("shared")), Boolean.parseBoolean(data.get("live")),
                Boolean.parseBoolean(data.get("tls")));
    }

    void writeTo(StepContext context) {
        StepData.put(context, "instance", instance);
        StepData.put(context, "source", source);
        StepData.put(context, "target", target);
        StepData.put(context, "shared", String.valueOf(shared));
        StepData.put(context, "live", String.valueOf(live));
        StepData.put(context, "tls", String.valueOf(tls));
    }
}
