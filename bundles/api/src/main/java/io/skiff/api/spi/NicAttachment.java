package io.skiff.api.spi;

/**
 * A network interface as the hypervisor attaches it.
 *
 * @param mac MAC address, unique per domain
 * @param bridge host bridge to join
 */
public record NicAttachment(String mac, String bridge) {
}
