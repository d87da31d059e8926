package io.skiff.shell.internal;

import io.skiff.api.service.RequiresPermission;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "skiff", name = "storage-pool-attach",
        description = "New instances of a compute pool keep their disks in this storage pool")
@RequiresPermission("storage.manage")
public class StoragePoolAttachCommand extends StoragePoolAttachmentAction {

    @Override
    protected Object run() {
        pools.attach(pool, computePool, caller());
        System.out.println("Storage pool " + pool + " attached to compute pool " + computePool);
        return null;
    }
}
