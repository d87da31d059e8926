package io.skiff.shell.internal;

import io.skiff.api.model.TaskInfo;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.RequiresPermission;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "skiff", name = "instance-stop",
        description = "Stops an instance (ACPI shutdown, forced off after the time-out; --force at once)")
@RequiresPermission("instance.operate")
public class InstanceStopCommand extends InstanceTaskAction {

    @Option(name = "-f", aliases = "--force", description = "Force it off at once")
    private boolean force;

    @Override
    protected TaskInfo submit(AuthenticatedUser caller) {
        return instances.stop(name, force, caller);
    }
}
