package io.skiff.shell.internal;

import io.skiff.api.model.AddressBinding;
import io.skiff.api.model.AddressPool;
import io.skiff.api.model.AddressRange;
import io.skiff.api.model.AddressRangeUsage;
import io.skiff.api.model.InstanceStatus;
import io.skiff.api.model.TaskInfo;
import io.skiff.api.service.InstanceService;
import io.skiff.api.service.RequiresPermission;
import io.skiff.api.spi.AddressPoolProvider;
import io.skiff.api.task.TaskEngine;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

@Service
@Command(scope = "skiff", name = "address-pool-delete", description = "Deletes an address pool that has no bound addresses")
@RequiresPermission("address.write")
public class AddressPoolDeleteCommand extends SkiffAction {

    @Reference
    private AddressPoolProvider pools;

    @Argument(index = 0, name = "pool", description = "Address pool", required = true)
    @Completion(AddressPoolNameCompleter.class)
    private String pool;

    @Override
    protected Object run() {
        pools.delete(pool);
        System.out.println("Address pool " + pool + " deleted");
        return null;
    }
}
