package io.skiff.shell.internal;

import io.skiff.api.model.MediaImage;
import io.skiff.api.service.MediaService;
import io.skiff.api.service.RequiresPermission;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code skiff:media-list}. */
@Service
@Command(scope = "skiff", name = "media-list", description = "Lists the ISO media")
@RequiresPermission("image.read")
public class MediaListCommand extends SkiffAction {

    @Reference
    private MediaService media;

    @Override
    protected Object run() {
        ShellTable table = new ShellTable();
        table.column("Name");
        table.column("Size").alignRight();
        table.column("SHA-256");
        table.column("Owner");
        table.column("Id");
        for (MediaImage m : media.list(caller())) {
            table.addRow().addContent(m.name(), bytes(m.sizeBytes()), m.sha256(), m.owner(), m.id());
        }
        table.print(System.out);
        return null;
    }
}
