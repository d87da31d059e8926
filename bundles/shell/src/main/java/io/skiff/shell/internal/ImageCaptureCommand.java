package io.skiff.shell.internal;

import io.skiff.api.model.TaskInfo;
import io.skiff.api.service.InstanceImageService;
import io.skiff.api.service.RequiresPermission;
import io.skiff.api.task.TaskEngine;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import java.util.List;

/** {@code skiff:image-capture}: builds an image from a stopped instance's system disk. */
@Service
@Command(scope = "skiff", name = "image-capture", description = "Builds an image from a stopped instance's system disk")
@RequiresPermission("image.write")
public class ImageCaptureCommand extends SkiffAction {

    @Reference
    private InstanceImageService systemDiskImages;

    @Reference
    private TaskEngine engine;

    @Option(name = "--tag", description = "Tag of the new image", multiValued = true)
    private List<String> tags;

    @Option(name = "-w", aliases = "--wait", description = "Wait for the task and print its progress")
    private boolean await;

    @Argument(index = 0, name = "instance", description = "Stopped instance, name or id", required = true)
    @Completion(InstanceNameCompleter.class)
    private String instance;

    @Argument(index = 1, name = "name", description = "Name of the new image", required = true)
    private String name;

    @Override
    protected Object run() throws Exception {
        TaskInfo task = systemDiskImages.captureImage(instance, name, tags == null ? List.of() : tags, caller());
        System.out.println("Image " + name + " from " + instance + ": task " + task.id() + " queued");
        if (await) {
            TaskWaiter.follow(engine, task, System.out, 600);
        }
        return null;
    }
}
