package io.skiff.shell.internal;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Completion;

/** Base of the commands on a storage pool's attachment to a compute pool, named in their second argument. */
abstract class StoragePoolAttachmentAction extends StoragePoolAction {

    @Argument(index = 1, name = "computePool", description = "Compute pool", required = true)
    @Completion(PoolNameCompleter.class)
    protected String computePool;
}
