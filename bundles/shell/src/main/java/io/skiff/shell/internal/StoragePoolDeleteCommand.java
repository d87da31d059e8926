package io.skiff.shell.internal;

import io.skiff.api.service.RequiresPermission;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "skiff", name = "storage-pool-delete",
        description = "Deletes a storage pool that no compute pool uses and no instance keeps volumes in")
@RequiresPermission("storage.manage")
public class StoragePoolDeleteCommand extends StoragePoolAction {

    @Override
    protected Object run() {
        pools.delete(pool, caller());
        System.out.println("Storage pool " + pool + " deleted");
        return null;
    }
}
