package io.skiff.shell.internal;

import io.skiff.api.model.AddressBinding;
import io.skiff.api.model.AddressPool;
import io.skiff.api.model.AddressRange;
import io.skiff.api.model.AddressRangeUsage;
import io.skiff.api.model.InstanceStatus;
import io.skiff.api.model.TaskInfo;
import io.skiff.api.service.AddressPoolService;
import io.skiff.api.service.InstanceService;
import io.skiff.api.service.RequiresPermission;
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
@Command(scope = "skiff", name = "address-pool-list", description = "Lists the address pools with used and free addresses")
@RequiresPermission("address.read")
public class AddressPoolListCommand extends SkiffAction {

    @Reference
    private AddressPoolService pools;

    @Override
    protected Object run() {
        ShellTable table = new ShellTable();
        table.column("Name");
        table.column("Subnet");
        table.column("Gateway");
        table.column("Ranges");
        table.column("Used").alignRight();
        table.column("Free").alignRight();
        table.column("Compute pools");
        for (AddressPool p : pools.list(caller())) {
            List<AddressRangeUsage> usage = pools.usage(p.id(), caller());
            table.addRow().addContent(p.name(), AddressPoolInfoCommand.subnet(p), p.gateway(),
                    p.ranges().stream().map(r -> r.first() + "-" + r.last()).collect(Collectors.joining(", ")),
                    usage.stream().mapToLong(AddressRangeUsage::used).sum(),
                    usage.stream().mapToLong(AddressRangeUsage::free).sum(), String.join(", ", p.computePools()));
        }
        table.print(System.out);
        return null;
    }
}
