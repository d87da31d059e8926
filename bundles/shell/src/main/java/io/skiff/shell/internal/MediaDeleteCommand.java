package io.skiff.shell.internal;

import io.skiff.api.service.MediaService;
import io.skiff.api.service.RequiresPermission;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code skiff:media-delete}. */
@Service
@Command(scope = "skiff", name = "media-delete", description = "Deletes an ISO medium")
@RequiresPermission("image.write")
public class MediaDeleteCommand extends SkiffAction {

    @Reference
    private MediaService media;

    @Argument(index = 0, name = "medium", description = "Medium name or id", required = true)
    private String medium;

    @Override
    protected Object run() {
        media.delete(medium, caller());
        System.out.println("Medium " + medium + " deleted");
        return null;
    }
}
