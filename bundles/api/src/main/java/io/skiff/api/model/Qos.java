package io.skiff.api.model;

/**
 * An instance's quality of service; {@code null} (or 0) in a limit means unlimited.
 *
 * @param cpuPriority {@code high}, {@code medium} (default) or {@code low}: CPU shares and quota
 * @param diskReadIops read operations per second of each disk
 * @param diskWriteIops write operations per second of each disk
 * @param diskReadBytesPerSecond read bytes per second of each disk
 * @param diskWriteBytesPerSecond write bytes per second of each disk
 * @param netRxKiBPerSecond receive bandwidth of each network interface, KiB/s
 * @param netTxKiBPerSecond send bandwidth of each network interface, KiB/s
 */
public record Qos(String cpuPriority, Long diskReadIops, Long diskWriteIops, Long diskReadBytesPerSecond,
                  Long diskWriteBytesPerSecond, Long netRxKiBPerSecond, Long netTxKiBPerSecond) {

    /** No limits, medium CPU priority. */
    public static final Qos DEFAULT = new Qos("medium", null, null, null, null, null, null);

    /** CPU shares (cgroup weight) of a priority. */
    public static int cpuShares(String priority) {
        return switch (priority == null ? "medium" : priority) {
            case "high" -> 2048;
            case "low" -> 256;
            default -> 1024;
        };
    }

    /**
     * CPU quota of a priority in microseconds per 100 ms period and per vCPU ({@code -1} = unlimited):
     * low-priority guests get at most half a host CPU per vCPU.
     */
    public static long cpuQuotaMicros(String priority) {
        return "low".equals(priority) ? 50_000 : -1;
    }

    /** The CFS period the quota refers to, in microseconds. */
    public static final long CPU_PERIOD_MICROS = 100_000;

    /** Whether any disk limit is set. */
    public boolean limitsDisks() {
        return positive(diskReadIops) || positive(diskWriteIops) || positive(diskReadBytesPerSecond)
                || positive(diskWriteBytesPerSecond);
    }

    /** Whether any network limit is set. */
    public boolean limitsNetwork() {
        return positive(netRxKiBPerSecond) || positive(netTxKiBPerSecond);
    }

    public static boolean positive(Long value) {
        return value != null && value > 0;
    }
}
