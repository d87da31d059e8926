package io.skiff.api.service;

import io.skiff.api.model.CellStoragePool;
import io.skiff.api.spi.HostCapabilities;

import java.util.List;

/** What the cells report about their hosts beyond resources: storage pools and hypervisor capabilities. */
public interface CellInventoryService {

    /** @return every cell's storage pools with capacity and free space */
    List<CellStoragePool> storagePools();

    /**
     * @return the cell's hypervisor capabilities (accelerator, machine types)
     * @throws SkiffException NOT_FOUND when the cell has not reported any
     */
    HostCapabilities capabilities(String cellId);
}
