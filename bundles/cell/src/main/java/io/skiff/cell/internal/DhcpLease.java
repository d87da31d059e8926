package io.skiff.cell.internal;

import io.skiff.api.cell.CellAddress;

/**
 * A static DHCP lease: the instance's MAC gets its address, hostname and its pool's options.
 *
 * @param mac the interface's MAC address
 * @param address what the Core bound to the instance
 */
record DhcpLease(String mac, CellAddress address) {
}
