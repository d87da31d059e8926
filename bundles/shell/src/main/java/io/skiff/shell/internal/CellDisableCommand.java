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
@Command(scope = "skiff", name = "cell-disable", description = "Stops the scheduler from placing new instances on a cell")
@RequiresPermission("cell.write")
public class CellDisableCommand extends SkiffAction {

    @Reference
    private CellService cells;

    @Argument(index = 0, name = "cell", description = "Cell id", required = true)
    @Completion(CellIdCompleter.class)
    private String cell;

    @Override
    protected Object run() {
        Cell updated = cells.disable(cell);
        System.out.println("Cell " + updated.id() + ": pool " + (updated.poolId() == null ? "(unallocated)"
                : updated.poolId()) + ", " + (updated.enabled() ? "enabled" : "disabled"));
        return null;
    }
}
