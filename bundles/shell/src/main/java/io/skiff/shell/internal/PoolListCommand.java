package io.skiff.shell.internal;

import io.skiff.api.model.Cell;
import io.skiff.api.model.ComputePool;
import io.skiff.api.service.CellService;
import io.skiff.api.service.ComputePoolService;
import io.skiff.api.service.RequiresPermission;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import java.util.List;

@Service
@Command(scope = "skiff", name = "pool-list", description = "Lists the compute pools")
@RequiresPermission("pool.read")
public class PoolListCommand extends SkiffAction {

    @Reference
    private ComputePoolService pools;

    @Reference
    private CellService cells;

    @Override
    protected Object run() {
        List<Cell> all = cells.list();
        ShellTable table = new ShellTable();
        table.column("Name");
        table.column("Cells");
        table.column("Failover");
        table.column("Description");
        table.column("Created");
        for (ComputePool pool : pools.list()) {
            long n = all.stream().filter(c -> pool.name().equals(c.poolId())).count();
            table.addRow().addContent(pool.name(), n, pool.failover() ? "yes" : "no", pool.description(), pool.createdAt());
        }
        table.print(System.out);
        return null;
    }
}
