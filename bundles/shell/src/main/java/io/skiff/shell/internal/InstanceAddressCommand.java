package io.skiff.shell.internal;

import io.skiff.api.model.AddressBinding;
import io.skiff.api.model.AddressPool;
import io.skiff.api.model.AddressRange;
import io.skiff.api.model.AddressRangeUsage;
import io.skiff.api.model.InstanceStatus;
import io.skiff.api.model.TaskInfo;
import io.skiff.api.service.InstanceAddressService;
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
@Command(scope = "skiff", name = "instance-address", description = "Moves an instance to another address of its address pool")
@RequiresPermission("instance.write")
public class InstanceAddressCommand extends SkiffAction {

    @Reference
    private InstanceAddressService addresses;

    @Reference
    private InstanceService instances;

    @Reference
    private TaskEngine engine;

    @Option(name = "-w", aliases = "--wait", description = "Wait for the task and print its progress")
    private boolean await;

    @Argument(index = 0, name = "instance", description = "Instance name or id", required = true)
    @Completion(InstanceNameCompleter.class)
    private String instance;

    @Argument(index = 1, name = "address", description = "The new address", required = true)
    private String address;

    @Override
    protected Object run() throws Exception {
        TaskInfo task = addresses.rebindAddress(instance, address, caller());
        System.out.println("Instance " + instance + ": task " + task.id() + " queued");
        if (await) {
            TaskWaiter.follow(engine, task, System.out, 600);
            System.out.println("Instance " + instance + " has address " + instances.get(instance, caller()).address());
        }
        return null;
    }
}
