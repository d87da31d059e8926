package io.skiff.core.internal.instance;

import io.skiff.api.task.StepContext;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writing and reading the fields of a step's typed data in its string map: a field is recorded only when it has a
 * value and it changed (each record is journaled before it returns), and read back as {@code null} when absent.
 */
final class StepData {
    private StepData() {
    }

    static void put(StepContext context, String key, String value) {
        if (value != null) {
            putAll(context, Map.of(key, value));
        }
    }

    /** Records the fields that have a value and changed, in one journal entry. */
    static void putAll(StepContext context, Map<String, String> fields) {
        Map<String, String> known = context.data();
        Map<String, String> changed = new LinkedHashMap<>();
        fields.forEach((key, value) -> {
            if (value != null && !value.equals(known.get(key))) {
                changed.put(key, value);
            }
        });
        if (!changed.isEmpty()) {
            context.record(changed);
        }
    }

    static void put(StepContext context, String key, Number value) {
        put(context, key, value == null ? null : value.toString());
    }

    static Integer toInt(String value) {
        return value == null ? null : Integer.valueOf(value);
    }

    static Long toLong(String value) {
        return value == null ? null : Long.valueOf(value);
    }
}
