package io.skiff.shell.internal;

import io.skiff.api.service.AddressPoolService;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;

/** Base of the commands on one address pool, named in their first argument. */
abstract class AddressPoolAction extends SkiffAction {

    @Reference
    protected AddressPoolService pools;

    @Argument(index = 0, name = "pool", description = "Address pool", required = true)
    @Completion(AddressPoolNameCompleter.class)
    protected String pool;
}
