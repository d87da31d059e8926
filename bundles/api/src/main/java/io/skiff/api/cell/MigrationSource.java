package io.skiff.api.cell;

import java.util.List;

/**
 * What the source cell holds of an instance that is to move.
 *
 * @param instanceId the instance
 * @param volumes its volume paths, system disk first
 * @param volumePools the storage pool of each volume
 * @param capacities the virtual size of each volume in bytes
 * @param shared whether every volume is on shared storage (then only memory moves)
 * @param mac its network interface's MAC address, or {@code null}
 * @param consolePassword its VNC password, or {@code null}
 * @param domainState the domain's state on this cell ({@code RUNNING}, {@code SHUT_OFF}, ...)
 */
public record MigrationSource(String instanceId, List<String> volumes, List<String> volumePools,
                              List<Long> capacities, boolean shared, String mac, String consolePassword,
                              String domainState) {
}
