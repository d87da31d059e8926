package io.skiff.api.spi;

/**
 * A migration that succeeded.
 *
 * @param wallMillis from the request to the guest running on the target
 * @param downtimeMillis how long the guest was paused for the switch-over, or {@code -1} when the hypervisor did not
 *     tell
 * @param transferredBytes what was moved (memory and copied disks)
 */
public record MigrationOutcome(long wallMillis, long downtimeMillis, long transferredBytes) {
}
