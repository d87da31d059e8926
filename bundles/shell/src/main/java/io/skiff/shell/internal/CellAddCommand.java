package io.skiff.shell.internal;

import io.skiff.api.model.Cell;
import io.skiff.api.service.CellService;
import io.skiff.api.service.RequiresPermission;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "skiff", name = "cell-add", description = "Adds an unallocated cell to a compute pool")
@RequiresPermission("cell.write")
public class CellAddCommand extends SkiffAction {

    @Reference
    private CellService cells;

    @Argument(index = 0, name = "cell", description = "Cell id", required = true)
    @Completion(CellIdCompleter.class)
    private String cell;

    @Argument(index = 1, name = "pool", description = "Compute pool", required = true)
    @Completion(PoolNameCompleter.class)
    private String pool;

    @Override
    protected Object run() {
        Cell updated = cells.addToPool(cell, pool);
        System.out.println("Cell " + updated.id() + " added to pool " + updated.poolId());
        return null;
    }
}
