package io.skiff.shell.internal;

import io.skiff.api.model.ComputePool;
import io.skiff.api.service.CellService;
import io.skiff.api.service.ComputePoolService;
import io.skiff.api.service.RequiresPermission;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import java.util.stream.Collectors;

@Service
@Command(scope = "skiff", name = "pool-info", description = "Shows a compute pool and its cells")
@RequiresPermission("pool.read")
public class PoolInfoCommand extends SkiffAction {

    @Reference
    private ComputePoolService pools;

    @Reference
    private CellService cells;

    @Argument(index = 0, name = "name", description = "Pool name", required = true)
    @Completion(PoolNameCompleter.class)
    private String name;

    @Override
    protected Object run() {
        ComputePool pool = pools.get(name);
        System.out.println("Name        : " + pool.name());
        System.out.println("Description : " + pool.description());
        System.out.println("Failover    : " + (pool.failover() ? "on" : "off"));
        System.out.println("Created     : " + pool.createdAt());
        System.out.println("Cells       : " + cells.list().stream().filter(c -> name.equals(c.poolId()))
                .map(c -> c.id() + " (" + c.status().name().toLowerCase() + ")").collect(Collectors.joining(", ")));
        return null;
    }
}
