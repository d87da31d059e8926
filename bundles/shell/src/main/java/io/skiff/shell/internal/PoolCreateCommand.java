package io.skiff.shell.internal;

import io.skiff.api.model.ComputePool;
import io.skiff.api.service.ComputePoolService;
import io.skiff.api.service.RequiresPermission;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "skiff", name = "pool-create", description = "Creates a compute pool")
@RequiresPermission("pool.write")
public class PoolCreateCommand extends SkiffAction {

    @Reference
    private ComputePoolService pools;

    @Argument(index = 0, name = "name", description = "Pool name (letters, digits, '.', '-', '_'; at most 64)",
            required = true)
    private String name;

    @Option(name = "-d", aliases = "--description", description = "Description")
    private String description;

    @Override
    protected Object run() {
        ComputePool pool = pools.create(name, description);
        System.out.println("Compute pool " + pool.name() + " created");
        return null;
    }
}
