package io.skiff.api.service;

import io.skiff.api.model.Cell;

import java.util.List;

/** Cells as the Core sees them, and the admin's operations on them. Implemented by the Core. */
public interface CellService {

    List<Cell> list();

    /** @throws SkiffException NOT_FOUND */
    Cell get(String id);

    /** Adds an unallocated cell to a pool. @throws SkiffException NOT_FOUND (cell or pool), CONFLICT */
    Cell addToPool(String cellId, String poolName);

    /** Makes a cell unallocated again. @throws SkiffException NOT_FOUND, CONFLICT when not in a pool */
    Cell removeFromPool(String cellId);

    /** Lets the scheduler place instances on the cell. */
    Cell enable(String cellId);

    /** Stops the scheduler from placing new instances on the cell. */
    Cell disable(String cellId);

    /** Forgets an offline, unallocated cell. @throws SkiffException CONFLICT when online or allocated */
    void forget(String cellId);
}
