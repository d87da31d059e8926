package io.skiff.api.spi;

/**
 * Counters of a running domain, sampled now; rates come from two samples.
 *
 * @param cpuTimeNanos CPU time used by the guest since it started
 * @param memoryBytes guest memory in use (or assigned, when the guest does not say)
 * @param diskReadBytes bytes read from all disks
 * @param diskWriteBytes bytes written to all disks
 * @param netRxBytes bytes received on all interfaces
 * @param netTxBytes bytes sent on all interfaces
 */
public record DomainStats(long cpuTimeNanos, long memoryBytes, long diskReadBytes, long diskWriteBytes,
                          long netRxBytes, long netTxBytes) {
}
