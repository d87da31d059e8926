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
@Command(scope = "skiff", name = "address-pool-range-remove", description = "Removes a range without bound addresses")
@RequiresPermission("address.write")
public class AddressPoolRangeRemoveCommand extends SkiffAction {

    @Reference
    private AddressPoolProvider pools;

    @Argument(index = 0, name = "pool", description = "Address pool", required = true)
    @Completion(AddressPoolNameCompleter.class)
    private String pool;

    @Argument(index = 1, name = "range", description = "<first>-<last>", required = true)
    private String range;

    @Override
    protected Object run() {
        AddressPool p = pools.removeRange(pool, AddressPoolCreateCommand.range(range));
        System.out.println("Address pool " + pool + ": ranges " + p.ranges().stream().map(r -> r.first() + "-" + r.last())
                .collect(Collectors.joining(", ")));
        return null;
    }
}
