package io.skiff.shell.internal;

import io.skiff.api.model.InstanceStatus;
import io.skiff.api.service.InstanceMediaService;
import io.skiff.api.service.RequiresPermission;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** {@code skiff:instance-boot-from}. */
@Service
@Command(scope = "skiff", name = "instance-boot-from",
        description = "Choose what a stopped instance boots from: disk (its system disk) or cdrom (its media drive first)")
@RequiresPermission("instance.write")
public class InstanceBootFromCommand extends InstanceAction {

    @Reference
    private InstanceMediaService mediaDrives;

    @Argument(index = 1, name = "device", description = "disk or cdrom", required = true)
    @Completion(value = StringsCompleter.class, values = {"disk", "cdrom"})
    private String device;

    @Override
    protected Object run() {
        InstanceStatus target = visibleInstance();
        InstanceStatus changed = mediaDrives.setBootFrom(target.id(), device, caller());
        System.out.println("Instance " + changed.spec().name() + " boots from " + changed.spec().bootFrom());
        return null;
    }
}
