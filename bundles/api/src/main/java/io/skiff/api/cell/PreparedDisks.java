package io.skiff.api.cell;

import java.util.List;

/**
 * The volumes a cell made for an instance.
 *
 * @param paths paths of the volumes, in the order of the spec's disks
 */
public record PreparedDisks(List<String> paths) {
}
