package io.skiff.shell.internal;

import io.skiff.api.model.MediaImage;
import io.skiff.api.service.MediaService;
import io.skiff.api.service.RequiresPermission;
import io.skiff.api.service.SkiffException;
import io.skiff.api.service.UploadSpec;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.FileCompleter;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code skiff:media-import}: streams an ISO file of the Core's host into the media catalogue. */
@Service
@Command(scope = "skiff", name = "media-import", description = "Imports an ISO file from the Core's host as a medium")
@RequiresPermission("image.import")
public class MediaImportCommand extends SkiffAction {

    @Reference
    private MediaService media;

    @Argument(index = 0, name = "name", description = "Medium name", required = true)
    private String name;

    @Argument(index = 1, name = "path", description = "Absolute path of the ISO on the Core's host", required = true)
    @Completion(FileCompleter.class)
    private String path;

    @Override
    protected Object run() throws Exception {
        Path file = Path.of(path);
        if (!file.isAbsolute() || !Files.isRegularFile(file)) {
            throw SkiffException.invalid("path", "'" + path + "' is not a file on the Core's host");
        }
        try (InputStream in = Files.newInputStream(file)) {
            MediaImage m = media.upload(new UploadSpec(name, List.of(), Files.size(file), null, "iso"), in,
                    caller()).medium();
            System.out.println("Medium " + m.name() + " imported: " + bytes(m.sizeBytes()) + ", sha256 " + m.sha256()
                    + ", id " + m.id());
        }
        return null;
    }
}
