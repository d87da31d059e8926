package io.skiff.shell.internal;

import io.skiff.api.model.AddressPool;
import io.skiff.api.model.AddressRange;
import io.skiff.api.service.AddressPoolService;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.RequiresPermission;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "skiff", name = "address-pool-range-add", description = "Adds a range to an address pool")
@RequiresPermission("address.write")
public class AddressPoolRangeAddCommand extends AddressPoolRangeAction {

    @Override
    protected AddressPool change(AddressPoolService pools, String pool, AddressRange range,
                                 AuthenticatedUser caller) {
        return pools.addRange(pool, range, caller);
    }
}
