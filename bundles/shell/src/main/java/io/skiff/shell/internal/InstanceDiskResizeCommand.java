package io.skiff.shell.internal;

import io.skiff.api.model.TaskInfo;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.RequiresPermission;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code skiff:instance-disk-resize}. */
@Service
@Command(scope = "skiff", name = "instance-disk-resize",
        description = "Resize a disk of an instance: grow (live when running) or shrink (stopped, never below its data)")
@RequiresPermission("instance.write")
public class InstanceDiskResizeCommand extends InstanceDiskTaskAction {

    @Option(name = "--disk", description = "Disk index, 0 = system disk (default 0)")
    private int disk;

    @Argument(index = 1, name = "size", description = "New size in MiB", required = true)
    private long sizeMib;

    @Override
    protected TaskInfo submit(AuthenticatedUser caller) {
        return disks.resizeDisk(name, disk, sizeMib << 20, caller);
    }

    @Override
    protected String queued() {
        return "disk " + disk + " resized to " + sizeMib + " MiB";
    }
}
