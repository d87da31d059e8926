package io.skiff.shell.internal;

import io.skiff.api.service.RequiresPermission;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "skiff", name = "storage-pool-detach",
        description = "New instances of a compute pool keep their disks in each cell's own storage again")
@RequiresPermission("storage.manage")
public class StoragePoolDetachCommand extends StoragePoolAttachmentAction {

    @Override
    protected Object run() {
        pools.detach(pool, computePool, caller());
        System.out.println("Storage pool " + pool + " detached from compute pool " + computePool);
        return null;
    }
}
