package io.skiff.api.model;

import java.time.Instant;

/**
 * The resources a cell reports about its host every two seconds.
 *
 * @param cpuCount logical CPUs of the host
 * @param memoryTotalBytes physical memory
 * @param memoryAvailableBytes memory available for new work
 * @param diskTotalBytes size of the file system holding the cell's data
 * @param diskFreeBytes free space on that file system
 * @param loadAverage one-minute load average
 * @param reportedAt when the cell measured these figures
 */
public record CellResources(int cpuCount, long memoryTotalBytes, long memoryAvailableBytes,
                            long diskTotalBytes, long diskFreeBytes, double loadAverage, Instant reportedAt) {
}
