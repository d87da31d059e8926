package io.skiff.api.spi;

/**
 * How far a migration has come, as the hypervisor's job says.
 *
 * @param totalBytes what the job moves in all (memory, and disks when copied), as known so far
 * @param remainingBytes what is left
 * @param elapsedMillis time since the job began
 */
public record MigrationProgress(long totalBytes, long remainingBytes, long elapsedMillis) {

    /** @return 0 to 100 */
    public int percent() {
        if (totalBytes <= 0) {
            return 0;
        }
        long done = Math.max(0, totalBytes - remainingBytes);
        return (int) Math.min(100, done * 100 / totalBytes);
    }
}
