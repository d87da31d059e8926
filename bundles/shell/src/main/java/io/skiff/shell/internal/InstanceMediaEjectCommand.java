package io.skiff.shell.internal;

import io.skiff.api.model.TaskInfo;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.InstanceMediaService;
import io.skiff.api.service.RequiresPermission;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code skiff:instance-media-eject}. */
@Service
@Command(scope = "skiff", name = "instance-media-eject",
        description = "Empty an instance's CD-ROM drive for media (live when running)")
@RequiresPermission("instance.write")
public class InstanceMediaEjectCommand extends InstanceTaskAction {

    @Reference
    private InstanceMediaService mediaDrives;

    @Override
    protected TaskInfo submit(AuthenticatedUser caller) {
        return mediaDrives.ejectMedia(name, caller);
    }

    @Override
    protected String queued() {
        return "medium is ejected";
    }
}
