package io.skiff.shell.internal;

import io.skiff.api.model.ComputePool;
import io.skiff.api.service.ComputePoolService;
import io.skiff.api.service.RequiresPermission;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code skiff:pool-update}: changes a compute pool's description or turns its failover on or off. */
@Service
@Command(scope = "skiff", name = "pool-update", description = "Changes a compute pool's description or failover")
@RequiresPermission("pool.write")
public class PoolUpdateCommand extends SkiffAction {

    @Reference
    private ComputePoolService pools;

    @Argument(index = 0, name = "name", description = "Pool name", required = true)
    @Completion(PoolNameCompleter.class)
    private String name;

    @Option(name = "-d", aliases = "--description", description = "New description (unchanged when absent)")
    private String description;

    @Option(name = "--failover", description = "true: start a lost cell's instances on another cell of the pool "
            + "(needs a shared storage pool); false: leave them")
    private Boolean failover;

    @Override
    protected Object run() {
        String text = description != null ? description : pools.get(name).description();
        ComputePool pool = pools.update(name, text, failover);
        System.out.println("Compute pool " + pool.name() + " updated (failover " + (pool.failover() ? "on" : "off")
                + ")");
        return null;
    }
}
