package io.skiff.shell.internal;

import io.skiff.api.model.Cell;
import io.skiff.api.model.CellResources;
import io.skiff.api.service.CellService;
import io.skiff.api.service.RequiresPermission;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Service
@Command(scope = "skiff", name = "cell-list", description = "Lists the cells of the domain")
@RequiresPermission("cell.read")
public class CellListCommand extends SkiffAction {

    @Reference
    private CellService cells;

    @Override
    protected Object run() {
        ShellTable table = new ShellTable();
        table.column("Cell");
        table.column("Host");
        table.column("Pool");
        table.column("Status");
        table.column("Enabled");
        table.column("CPUs").alignRight();
        table.column("Memory (avail/total)").alignRight();
        table.column("Disk (free/total)").alignRight();
        table.column("Load").alignRight();
        for (Cell cell : cells.list()) {
            CellResources r = cell.resources();
            table.addRow().addContent(cell.id(), cell.hostname(), cell.poolId() == null ? "(unallocated)" : cell.poolId(),
                    cell.status().name().toLowerCase(), cell.enabled() ? "yes" : "no",
                    r == null ? "-" : r.cpuCount(),
                    r == null ? "-" : bytes(r.memoryAvailableBytes()) + " / " + bytes(r.memoryTotalBytes()),
                    r == null ? "-" : bytes(r.diskFreeBytes()) + " / " + bytes(r.diskTotalBytes()),
                    r == null ? "-" : String.format("%.2f", r.loadAverage()));
        }
        table.print(System.out);
        return null;
    }
}
