package io.skiff.shell.internal;

import io.skiff.api.service.RequiresPermission;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "skiff", name = "address-pool-delete", description = "Deletes an address pool that has no bound addresses")
@RequiresPermission("address.write")
public class AddressPoolDeleteCommand extends AddressPoolAction {

    @Override
    protected Object run() {
        pools.delete(pool, caller());
        System.out.println("Address pool " + pool + " deleted");
        return null;
    }
}
