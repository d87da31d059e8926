package io.skiff.shell.internal;

import io.skiff.api.model.TaskInfo;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.RequiresPermission;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code skiff:instance-disk-add}. */
@Service
@Command(scope = "skiff", name = "instance-disk-add",
        description = "Add an empty data disk to an instance (hot-plugged when running)")
@RequiresPermission("instance.write")
public class InstanceDiskAddCommand extends InstanceDiskTaskAction {

    @Option(name = "--pool", description = "Storage pool of the cell (default: the cell's own)")
    private String pool;

    @Argument(index = 1, name = "size", description = "Size in MiB", required = true)
    private long sizeMib;

    @Override
    protected TaskInfo submit(AuthenticatedUser caller) {
        return disks.addDisk(name, sizeMib << 20, pool, caller);
    }

    @Override
    protected String queued() {
        return "a " + sizeMib + " MiB data disk is added";
    }
}
