package io.skiff.shell.internal;

import io.skiff.api.service.RequiresPermission;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "skiff", name = "address-pool-attach", description = "Instances of a compute pool take their addresses from this address pool")
@RequiresPermission("address.write")
public class AddressPoolAttachCommand extends AddressPoolAction {

    @Argument(index = 1, name = "computePool", description = "Compute pool", required = true)
    @Completion(PoolNameCompleter.class)
    private String computePool;

    @Override
    protected Object run() {
        pools.attach(pool, computePool, caller());
        System.out.println("Address pool " + pool + " attached to compute pool " + computePool);
        return null;
    }
}
