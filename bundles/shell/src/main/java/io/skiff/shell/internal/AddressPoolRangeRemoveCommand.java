package io.skiff.shell.internal;

import io.skiff.api.model.AddressPool;
import io.skiff.api.model.AddressRange;
import io.skiff.api.service.RequiresPermission;
import io.skiff.api.spi.AddressPoolProvider;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "skiff", name = "address-pool-range-remove", description = "Removes a range without bound addresses")
@RequiresPermission("address.write")
public class AddressPoolRangeRemoveCommand extends AddressPoolRangeAction {

    @Override
    protected AddressPool change(AddressPoolProvider pools, String pool, AddressRange range) {
        return pools.removeRange(pool, range);
    }
}
