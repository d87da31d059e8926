package io.skiff.core.internal.instance;

import io.skiff.api.service.SkiffException;
import io.skiff.api.task.StepContext;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The step data of most instance steps: which instance a step works on and on which cell (keys {@code instance} and
 * {@code cell}), recorded before the step acts, so that its undo reaches the same cell after a crash.
 *
 * @param instance the instance's id, or {@code null} when not recorded yet
 * @param cell the id of the instance's cell, or {@code null} when not recorded yet
 */
record StepTarget(String instance, String cell) {
    static final String INSTANCE = "instance";
    static final String CELL = "cell";

    static StepTarget read(Map<String, String> data) {
        return new StepTarget(data.get(INSTANCE), data.get(CELL));
    }

    void writeTo(StepContext context) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(INSTANCE, instance);
        fields.put(CELL, cell);
        StepData.putAll(context, fields);
    }

    /**
     * Records, before acting, which instance a step touches and on which cell it is.
     *
     * @return what was recorded
     * @throws SkiffException {@code NOT_FOUND instance} when the instance has no record
     */
    static StepTarget record(StepContext context, InstanceRecords records, String id) {
        InstanceRecord r = records.find(id).orElseThrow(() -> SkiffException.notFound("instance", id));
        StepTarget target = new StepTarget(id, r.cellId());
        target.writeTo(context);
        return target;
    }
}
