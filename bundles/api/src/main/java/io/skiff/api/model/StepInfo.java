package io.skiff.api.model;

import java.util.Map;

/**
 * One step of a task as journaled: enough to undo it after a crash.
 *
 * @param name display name
 * @param kind the undo handler's key
 * @param state where the step stands
 * @param data what the step recorded about the resources it took
 */
public record StepInfo(String name, String kind, StepState state, Map<String, String> data) {
}
