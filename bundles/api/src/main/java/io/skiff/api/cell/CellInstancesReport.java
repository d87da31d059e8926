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
 * @param held the ids of every instance this cell holds something of (a file, a volume in one of its storage
 *     pools, or a Skiff domain on its hypervisor), whether or not the Core still has a record of it: the Core removes what no record and no running task
 *     owns; {@code null} from cells of an older version
 * @param migrationTls whether the cell can take and send migrations over TLS, with its certificate request while it
 *     waits for one; {@code null} from cells of an older version
 */
public record CellInstancesReport(String node, List<CellInstanceState> instances, List<StoragePoolReport> storagePools,
                                  HostCapabilities host, List<String> held, MigrationTlsReport migrationTls) {

    /** A report without the migration TLS state (as older cells send it). */
    public CellInstancesReport(String node, List<CellInstanceState> instances, List<StoragePoolReport> storagePools,
                               HostCapabilities host, List<String> held) {
        this(node, instances, storagePools, host, held, null);
    }

    /** A report without the list of held instances (as older cells send it). */
    public CellInstancesReport(String node, List<CellInstanceState> instances, List<StoragePoolReport> storagePools,
                               HostCapabilities host) {
        this(node, instances, storagePools, host, null, null);
    }
}
