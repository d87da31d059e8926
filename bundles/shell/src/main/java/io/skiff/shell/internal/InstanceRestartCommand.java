package io.skiff.shell.internal;

import io.skiff.api.model.TaskInfo;
import io.skiff.api.service.RequiresPermission;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "skiff", name = "instance-restart", description = "Restarts an instance")
@RequiresPermission("instance.operate")
public class InstanceRestartCommand extends InstanceTaskAction {

    @Override
    protected TaskInfo submit(String user) {
        return instances.restart(name, user);
    }
}
