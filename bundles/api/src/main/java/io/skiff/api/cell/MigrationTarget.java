package io.skiff.api.cell;

import java.util.List;

/**
 * Where a target cell keeps a moving instance's files.
 *
 * @param instanceId the instance
 * @param node the target cell
 * @param hypervisorUri the URI the source's hypervisor reaches the target's with (e.g. {@code qemu+tcp://<ip>/system})
 * @param volumes the volume paths on the target, system disk first (the same paths on shared storage)
 * @param seedPath the guest seed's path, or {@code null} without one
 * @param mediaPath the media drive's ISO path, or {@code null} for an empty drive
 * @param consoleLog the serial console log's path
 * @param consoleListen the address VNC servers listen on at the target
 */
public record MigrationTarget(String instanceId, String node, String hypervisorUri, List<String> volumes,
                              String seedPath, String mediaPath, String consoleLog, String consoleListen) {
}
