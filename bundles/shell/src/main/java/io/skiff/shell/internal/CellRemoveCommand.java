package io.skiff.shell.internal;

import io.skiff.api.model.Cell;
import io.skiff.api.service.CellService;
import io.skiff.api.service.RequiresPermission;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "skiff", name = "cell-remove", description = "Removes a cell from its compute pool (it becomes unallocated)")
@RequiresPermission("cell.write")
public class CellRemoveCommand extends CellChangeAction {

    @Override
    protected Cell change(CellService cells, String cell) {
        return cells.removeFromPool(cell);
    }
}
