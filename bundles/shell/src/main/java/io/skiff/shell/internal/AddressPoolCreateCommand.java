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
@Command(scope = "skiff", name = "address-pool-create", description = "Creates an address pool")
@RequiresPermission("address.write")
public class AddressPoolCreateCommand extends SkiffAction {

    @Reference
    private AddressPoolService pools;

    @Option(name = "-r", aliases = "--range", description = "Range <first>-<last> (repeatable)", required = true,
            multiValued = true)
    private List<String> ranges;

    @Option(name = "-g", aliases = "--gateway", description = "Default gateway", required = true)
    private String gateway;

    @Option(name = "-l", aliases = "--prefix-length", description = "Prefix length of the subnet (default 24)")
    private int prefixLength = 24;

    @Option(name = "--dns", description = "DNS server (repeatable)", multiValued = true)
    private List<String> dns;

    @Option(name = "--domain", description = "DNS domain handed to guests")
    private String domain;

    @Option(name = "-a", aliases = "--attach", description = "Compute pool whose instances take addresses from it")
    @Completion(PoolNameCompleter.class)
    private String attach;

    @Argument(index = 0, name = "name", description = "Address pool name", required = true)
    private String name;

    static AddressRange range(String text) {
        int dash = text.indexOf('-');
        return dash < 0 ? new AddressRange(text, text) : new AddressRange(text.substring(0, dash), text.substring(dash + 1));
    }

    @Override
    protected Object run() {
        List<AddressRange> list = new ArrayList<>();
        ranges.forEach(r -> list.add(range(r)));
        AddressPool p = pools.create(new AddressPool(null, name, list, prefixLength, gateway,
                dns == null ? List.of() : dns, domain), caller());
        System.out.println("Address pool " + p.name() + " created: " + AddressPoolInfoCommand.subnet(p) + ", gateway "
                + p.gateway());
        if (attach != null) {
            attachOrDelete("Address pool " + p.name(), attach, () -> pools.attach(p.id(), attach, caller()),
                    () -> pools.delete(p.id(), caller()));
        }
        return null;
    }
}
