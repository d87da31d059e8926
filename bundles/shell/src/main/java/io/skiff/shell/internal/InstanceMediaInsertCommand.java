package io.skiff.shell.internal;

import io.skiff.api.model.MediaImage;
import io.skiff.api.model.TaskInfo;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.InstanceMediaService;
import io.skiff.api.service.MediaService;
import io.skiff.api.service.RequiresPermission;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code skiff:instance-media-insert}. */
@Service
@Command(scope = "skiff", name = "instance-media-insert",
        description = "Put an ISO medium into an instance's CD-ROM drive, replacing the one it holds (live when running)")
@RequiresPermission("instance.write")
public class InstanceMediaInsertCommand extends InstanceTaskAction {

    @Reference
    private InstanceMediaService mediaDrives;

    @Reference
    private MediaService media;

    @Argument(index = 1, name = "media", description = "Medium name or id", required = true)
    private String medium;

    private MediaImage chosen;

    @Override
    protected TaskInfo submit(AuthenticatedUser caller) {
        chosen = media.get(medium, caller);
        return mediaDrives.insertMedia(name, chosen.id(), caller);
    }

    @Override
    protected String queued() {
        return "medium " + chosen.name() + " is inserted";
    }
}
