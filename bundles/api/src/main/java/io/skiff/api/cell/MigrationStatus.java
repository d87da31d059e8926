package io.skiff.api.cell;

/**
 * How a cell's migration of an instance goes.
 *
 * @param instanceId the instance
 * @param phase {@value #NONE}, {@value #RUNNING}, {@value #SUCCEEDED} or {@value #FAILED}
 * @param percent 0 to 100
 * @param message what is happening, or why it failed
 * @param wallMillis how long it took (when it ended)
 * @param downtimeMillis how long the guest was paused for the switch-over, {@code -1} when unknown
 * @param transferredBytes what was moved
 */
public record MigrationStatus(String instanceId, String phase, int percent, String message, long wallMillis,
                              long downtimeMillis, long transferredBytes) {
    public static final String NONE = "NONE";
    public static final String RUNNING = "RUNNING";
    public static final String SUCCEEDED = "SUCCEEDED";
    public static final String FAILED = "FAILED";
}
