package io.skiff.api.cell;

import java.time.Instant;

/**
 * What a cell did about an instance whose guest stopped without Skiff asking, under the instance's restart policy
 * (event {@link CellProtocol#INSTANCE_RESTART}).
 *
 * @param node the cell
 * @param instanceId the instance
 * @param time when the cell acted
 * @param outcome {@link #RESTARTED}, {@link #FAILED} (the start failed; tried again after the back-off),
 *     {@link #GAVE_UP} (the limit was reached: the instance stays stopped) or {@link #STOPPED} (the guest stopped
 *     without Skiff asking and its policy does not restart it)
 * @param cause why the guest stopped, in words (e.g. {@code QEMU crashed or was killed (stopped: FAILED)})
 * @param attempt the restart's number within the policy's window, from 1
 * @param delayMillis how long the cell waited before the restart (its back-off)
 * @param detail the error of a failed start, why the cell gave up or why it did not restart; {@code null} otherwise
 */
public record InstanceRestart(String node, String instanceId, Instant time, String outcome, String cause,
                              int attempt, long delayMillis, String detail) {

    public static final String RESTARTED = "restarted";
    public static final String FAILED = "failed";
    public static final String GAVE_UP = "gave-up";
    public static final String STOPPED = "stopped";
}
