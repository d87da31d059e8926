package io.skiff.api.cell;

/**
 * A cell's answer to an action.
 *
 * @param instanceId instance id
 * @param detail what happened, in words
 */
public record Ack(String instanceId, String detail) {
}
