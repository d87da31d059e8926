package io.skiff.shell.internal;

import io.skiff.api.model.AddressPool;
import io.skiff.api.model.AddressRange;
import io.skiff.api.service.AddressPoolService;
import io.skiff.api.service.AuthenticatedUser;
import org.apache.karaf.shell.api.action.Argument;

import java.util.stream.Collectors;

/** Base of the commands that change one range of an address pool and print the pool's ranges. */
abstract class AddressPoolRangeAction extends AddressPoolAction {

    @Argument(index = 1, name = "range", description = "<first>-<last>", required = true)
    private String range;

    /** @return the pool after the command's change of {@code range} */
    protected abstract AddressPool change(AddressPoolService pools, String pool, AddressRange range,
                                          AuthenticatedUser caller);

    @Override
    protected final Object run() {
        AddressPool p = change(pools, pool, AddressPoolCreateCommand.range(range), caller());
        System.out.println("Address pool " + pool + ": ranges " + p.ranges().stream().map(r -> r.first() + "-" + r.last())
                .collect(Collectors.joining(", ")));
        return null;
    }
}
