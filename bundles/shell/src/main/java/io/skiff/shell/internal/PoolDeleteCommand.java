package io.skiff.shell.internal;

import io.skiff.api.service.ComputePoolService;
import io.skiff.api.service.RequiresPermission;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "skiff", name = "pool-delete", description = "Deletes an empty compute pool")
@RequiresPermission("pool.write")
public class PoolDeleteCommand extends SkiffAction {

    @Reference
    private ComputePoolService pools;

    @Argument(index = 0, name = "name", description = "Pool name", required = true)
    @Completion(PoolNameCompleter.class)
    private String name;

    @Override
    protected Object run() {
        pools.delete(name);
        System.out.println("Compute pool " + name + " deleted");
        return null;
    }
}
