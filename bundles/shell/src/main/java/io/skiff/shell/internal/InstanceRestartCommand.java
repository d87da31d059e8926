package io.skiff.shell.internal;

import io.skiff.api.model.TaskInfo;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.RequiresPermission;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "skiff", name = "instance-restart", description = "Restarts an instance")
@RequiresPermission("instance.operate")
public class InstanceRestartCommand extends InstanceTaskAction {

    @Override
    protected TaskInfo submit(AuthenticatedUser caller) {
        return instances.restart(name, caller);
    }
}
