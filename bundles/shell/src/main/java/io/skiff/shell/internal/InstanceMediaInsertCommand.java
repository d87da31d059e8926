package io.skiff.shell.internal;

import io.skiff.api.model.MediaImage;
import io.skiff.api.model.TaskInfo;
import io.skiff.api.service.InstanceService;
import io.skiff.api.service.MediaService;
import io.skiff.api.task.TaskEngine;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code skiff:instance-media-insert}. */
@Service
@Command(scope = "skiff", name = "instance-media-insert",
        description = "Put an ISO medium into an instance's CD-ROM drive, replacing the one it holds (live when running)")
public class InstanceMediaInsertCommand extends SkiffAction {

    @Reference
    private InstanceService instances;

    @Reference
    private MediaService media;

    @Reference
    private TaskEngine engine;

    @Option(name = "-w", aliases = "--wait", description = "Wait for the task and print its progress")
    private boolean await;

    @Argument(index = 0, name = "instance", description = "Instance name or id", required = true)
    @Completion(InstanceNameCompleter.class)
    private String instance;

    @Argument(index = 1, name = "media", description = "Medium name or id", required = true)
    private String medium;

    @Override
    protected Object run() throws Exception {
        io.skiff.api.model.InstanceStatus target = instances.get(instance);
        requireVisible(target.owner(), target.group(), "instance", instance);
        MediaImage m = media.get(medium);
        requireVisible(m.owner(), m.group(), "media", medium);
        TaskInfo task = instances.insertMedia(target.id(), m.id(), caller().name());
        System.out.println("Instance " + instance + ": medium " + m.name() + " is inserted, task " + task.id()
                + " queued");
        if (await) {
            TaskWaiter.follow(engine, task, System.out, 600);
        }
        return null;
    }
}
