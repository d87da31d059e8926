package io.skiff.api.cell;

/**
 * A cell gives up its copy of an instance that lives (or stays) on another cell.
 *
 * @param instanceId the instance
 * @param keepVolumes leave the volumes alone (they are shared with the cell that keeps the instance)
 */
public record CopyRelease(String instanceId, boolean keepVolumes) {
}
