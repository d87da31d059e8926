package io.skiff.shell.internal;

import io.skiff.api.service.StoragePoolService;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;

/** Base of the commands on one storage pool of the Core, named in their first argument. */
abstract class StoragePoolAction extends SkiffAction {

    @Reference
    protected StoragePoolService pools;

    @Argument(index = 0, name = "pool", description = "Storage pool", required = true)
    @Completion(StoragePoolNameCompleter.class)
    protected String pool;
}
