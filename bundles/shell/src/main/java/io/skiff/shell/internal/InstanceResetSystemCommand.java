package io.skiff.shell.internal;

import io.skiff.api.model.TaskInfo;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.InstanceImageService;
import io.skiff.api.service.RequiresPermission;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "skiff", name = "instance-reset-system",
        description = "Reinstalls the system disk from the instance's image, keeping its identity")
@RequiresPermission("instance.write")
public class InstanceResetSystemCommand extends InstanceTaskAction {

    @Reference
    private InstanceImageService systemDiskImages;

    @Override
    protected TaskInfo submit(AuthenticatedUser caller) {
        return systemDiskImages.resetSystem(name, caller);
    }
}
