package io.skiff.api.model;

import java.time.Instant;

/**
 * Live figures of a running instance, refreshed by its cell every two seconds.
 *
 * @param cpuPercent CPU use over the last interval, 100 per fully used virtual CPU
 * @param memoryUsedBytes guest memory in use
 * @param diskReadBytes bytes read from its disks since it started
 * @param diskWriteBytes bytes written to its disks since it started
 * @param netRxBytes bytes received since it started
 * @param netTxBytes bytes sent since it started
 * @param sampledAt when the cell sampled them
 */
public record InstanceStats(double cpuPercent, long memoryUsedBytes, long diskReadBytes, long diskWriteBytes,
                            long netRxBytes, long netTxBytes, Instant sampledAt) {
}
