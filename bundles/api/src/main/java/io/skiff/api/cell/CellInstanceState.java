package io.skiff.api.cell;

import io.skiff.api.model.InstanceStats;

/**
 * One instance as its cell sees it.
 *
 * @param instanceId instance id
 * @param domainState the hypervisor's state of its domain ({@code RUNNING}, {@code SHUT_OFF}, {@code UNDEFINED}, ...)
 * @param stats live figures while running, else {@code null}
 */
public record CellInstanceState(String instanceId, String domainState, InstanceStats stats) {
}
