package io.skiff.shell.internal;

import io.skiff.api.model.DiskImage;
import io.skiff.api.service.ImageService;
import io.skiff.api.service.RequiresPermission;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Service
@Command(scope = "skiff", name = "image-list", description = "Lists the disk images")
@RequiresPermission("image.read")
public class ImageListCommand extends SkiffAction {

    @Reference
    private ImageService images;

    @org.apache.karaf.shell.api.action.Option(name = "--name", description = "Only names containing this (any case)")
    private String name;

    @org.apache.karaf.shell.api.action.Option(name = "--tag", description = "Only images with this tag")
    private String tag;

    @Override
    protected Object run() {
        ShellTable table = new ShellTable();
        table.column("Name");
        table.column("Format");
        table.column("Size").alignRight();
        table.column("Virtual").alignRight();
        table.column("Tags");
        table.column("Owner");
        table.column("Id");
        for (DiskImage i : images.search(name, tag, caller())) {
            table.addRow().addContent(i.name(), i.format(), bytes(i.sizeBytes()), bytes(i.virtualSizeBytes()),
                    i.tags() == null ? "" : String.join(",", i.tags()), i.owner(), i.id());
        }
        table.print(System.out);
        return null;
    }
}
