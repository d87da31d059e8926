package io.skiff.shell.internal;

import io.skiff.api.model.DiskImage;
import io.skiff.api.service.ImageService;
import io.skiff.api.service.RequiresPermission;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.apache.karaf.shell.api.action.Completion;

@Service
@Command(scope = "skiff", name = "image-import", description = "Imports a qcow2 or raw image file from the Core's host")
@RequiresPermission("image.import")
public class ImageImportCommand extends SkiffAction {

    @Reference
    private ImageService images;

    @Argument(index = 0, name = "name", description = "Image name", required = true)
    private String name;

    @Argument(index = 1, name = "path", description = "Absolute path of the file on the Core's host", required = true)
    @Completion(FileCompleter.class)
    private String path;

    @Override
    protected Object run() {
        DiskImage image = images.importFile(name, path, caller());
        System.out.println("Image " + image.name() + " imported: " + image.format() + ", " + bytes(image.sizeBytes())
                + " (virtual " + bytes(image.virtualSizeBytes()) + "), id " + image.id());
        return null;
    }
}
