package io.skiff.shell.internal;

import io.skiff.api.model.TaskInfo;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.RequiresPermission;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code skiff:instance-disk-remove}. */
@Service
@Command(scope = "skiff", name = "instance-disk-remove",
        description = "Remove a data disk of an instance and delete its volume (detached live when running)")
@RequiresPermission("instance.write")
public class InstanceDiskRemoveCommand extends InstanceDiskTaskAction {

    @Argument(index = 1, name = "disk", description = "Disk index (1 or more; 0 is the system disk)", required = true)
    private int disk;

    @Override
    protected TaskInfo submit(AuthenticatedUser caller) {
        return disks.removeDisk(name, disk, caller);
    }

    @Override
    protected String queued() {
        return "disk " + disk + " is removed";
    }
}
