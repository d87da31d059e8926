package io.skiff.api.cell;

/**
 * The target cell owns a moved instance now.
 *
 * @param instanceId the instance
 * @param defineDomain define its domain here from the cell's file (a stopped instance that moved cold); a live
 *     migration already left it defined
 */
public record MigrationCompletion(String instanceId, boolean defineDomain) {
}
