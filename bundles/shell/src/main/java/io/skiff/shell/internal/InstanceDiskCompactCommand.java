package io.skiff.shell.internal;

import io.skiff.api.model.TaskInfo;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.RequiresPermission;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code skiff:instance-disk-compact}. */
@Service
@Command(scope = "skiff", name = "instance-disk-compact",
        description = "Compact a disk of a stopped instance (unused space given back; a linked clone stays linked)")
@RequiresPermission("instance.write")
public class InstanceDiskCompactCommand extends InstanceDiskTaskAction {

    @Argument(index = 1, name = "disk", description = "Disk index, 0 = system disk", required = true)
    private int disk;

    @Override
    protected TaskInfo submit(AuthenticatedUser caller) {
        return disks.compactDisk(name, disk, caller);
    }

    @Override
    protected String queued() {
        return "disk " + disk + " is compacted";
    }
}
