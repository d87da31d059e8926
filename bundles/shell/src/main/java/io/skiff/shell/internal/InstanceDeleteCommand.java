package io.skiff.shell.internal;

import io.skiff.api.model.TaskInfo;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.RequiresPermission;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "skiff", name = "instance-delete",
        description = "Deletes an instance with its domain and volumes (--force when it runs)")
@RequiresPermission("instance.write")
public class InstanceDeleteCommand extends InstanceTaskAction {

    @Option(name = "-f", aliases = "--force", description = "Delete a running instance (it is forced off first)")
    private boolean force;

    @Override
    protected TaskInfo submit(AuthenticatedUser caller) {
        return instances.delete(name, force, caller);
    }
}
