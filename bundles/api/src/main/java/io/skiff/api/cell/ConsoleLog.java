package io.skiff.api.cell;

/**
 * The tail of a serial console log.
 *
 * @param instanceId instance id
 * @param text the text (UTF-8, invalid bytes replaced)
 * @param totalBytes size of the whole log
 */
public record ConsoleLog(String instanceId, String text, long totalBytes) {
}
