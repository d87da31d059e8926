package io.skiff.shell.internal;

import io.skiff.api.model.TaskInfo;
import io.skiff.api.service.InstanceService;
import io.skiff.api.task.TaskEngine;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code skiff:instance-media-eject}. */
@Service
@Command(scope = "skiff", name = "instance-media-eject",
        description = "Empty an instance's CD-ROM drive for media (live when running)")
public class InstanceMediaEjectCommand extends SkiffAction {

    @Reference
    private InstanceService instances;

    @Reference
    private TaskEngine engine;

    @Option(name = "-w", aliases = "--wait", description = "Wait for the task and print its progress")
    private boolean await;

    @Argument(index = 0, name = "instance", description = "Instance name or id", required = true)
    @Completion(InstanceNameCompleter.class)
    private String instance;

    @Override
    protected Object run() throws Exception {
        io.skiff.api.model.InstanceStatus target = instances.get(instance);
        requireVisible(target.owner(), target.group(), "instance", instance);
        TaskInfo task = instances.ejectMedia(target.id(), caller().name());
        System.out.println("Instance " + instance + ": medium is ejected, task " + task.id() + " queued");
        if (await) {
            TaskWaiter.follow(engine, task, System.out, 600);
        }
        return null;
    }
}
