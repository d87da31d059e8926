package io.skiff.api.cell;

import io.skiff.api.spi.HostCapabilities;

import java.util.List;

/**
 * Every Skiff instance a cell knows, with its state (the truth the Core reconciles with), plus the capacity of
 * its storage pools and what its hypervisor offers.
 *
 * @param node the cell
 * @param instances its instances
 * @param storagePools its storage pools
 * @param host its hypervisor's capabilities, or {@code null} when no hypervisor provider is active
 */
public record CellInstancesReport(String node, List<CellInstanceState> instances, List<StoragePoolReport> storagePools,
                                  HostCapabilities host) {
}
