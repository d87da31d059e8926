package io.skiff.shell.internal;

import io.skiff.api.model.Cell;
import io.skiff.api.service.CellService;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;

/** Base of the commands that change one cell with one call and print one line about the cell. */
abstract class CellChangeAction extends SkiffAction {

    @Reference
    private CellService cells;

    @Argument(index = 0, name = "cell", description = "Cell id", required = true)
    @Completion(CellIdCompleter.class)
    private String cell;

    /** @return the cell after the command's change */
    protected abstract Cell change(CellService cells, String cell);

    /** @return the line printed: the cell's pool and whether the scheduler may use it */
    protected String report(Cell updated) {
        return "Cell " + updated.id() + ": pool " + (updated.poolId() == null ? "(unallocated)" : updated.poolId())
                + ", " + (updated.enabled() ? "enabled" : "disabled");
    }

    @Override
    protected final Object run() {
        System.out.println(report(change(cells, cell)));
        return null;
    }
}
