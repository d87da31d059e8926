package io.skiff.shell.internal;

import io.skiff.api.model.TaskInfo;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.InstanceAddressService;
import io.skiff.api.service.RequiresPermission;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "skiff", name = "instance-address", description = "Moves an instance to another address of its address pool")
@RequiresPermission("instance.write")
public class InstanceAddressCommand extends InstanceTaskAction {

    @Reference
    private InstanceAddressService addresses;

    @Argument(index = 1, name = "address", description = "The new address", required = true)
    private String address;

    @Override
    protected TaskInfo submit(AuthenticatedUser caller) {
        return addresses.rebindAddress(target().id(), address, caller);
    }

    @Override
    protected void afterWait() {
        System.out.println("Instance " + name + " has address " + instances.get(target().id(), caller()).address());
    }
}
