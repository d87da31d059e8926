package io.skiff.api.cell;

/**
 * Asks for the tail of an instance's serial console log.
 *
 * @param instanceId instance id
 * @param maxBytes at most this many bytes from the end
 */
public record ConsoleLogRequest(String instanceId, int maxBytes) {
}
