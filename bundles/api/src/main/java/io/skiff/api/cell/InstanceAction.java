package io.skiff.api.cell;

/**
 * An action on one instance of a cell.
 *
 * @param instanceId instance id
 * @param timeoutSeconds how long a graceful stop may take
 * @param force skip the graceful part
 */
public record InstanceAction(String instanceId, int timeoutSeconds, boolean force) {

    public static InstanceAction of(String instanceId) {
        return new InstanceAction(instanceId, 0, false);
    }
}
