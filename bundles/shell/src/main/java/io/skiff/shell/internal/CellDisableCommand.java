package io.skiff.shell.internal;

import io.skiff.api.model.Cell;
import io.skiff.api.service.CellService;
import io.skiff.api.service.RequiresPermission;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "skiff", name = "cell-disable", description = "Stops the scheduler from placing new instances on a cell")
@RequiresPermission("cell.write")
public class CellDisableCommand extends CellChangeAction {

    @Override
    protected Cell change(CellService cells, String cell) {
        return cells.disable(cell);
    }
}
