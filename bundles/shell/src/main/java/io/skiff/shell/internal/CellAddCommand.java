package io.skiff.shell.internal;

import io.skiff.api.model.Cell;
import io.skiff.api.service.CellService;
import io.skiff.api.service.RequiresPermission;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "skiff", name = "cell-add", description = "Adds an unallocated cell to a compute pool")
@RequiresPermission("cell.write")
public class CellAddCommand extends CellChangeAction {

    @Argument(index = 1, name = "pool", description = "Compute pool", required = true)
    @Completion(PoolNameCompleter.class)
    private String pool;

    @Override
    protected Cell change(CellService cells, String cell) {
        return cells.addToPool(cell, pool);
    }

    @Override
    protected String report(Cell updated) {
        return "Cell " + updated.id() + " added to pool " + updated.poolId();
    }
}
