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

/** {@code skiff:instance-disk-remove}. */
@Service
@Command(scope = "skiff", name = "instance-disk-remove",
        description = "Remove a data disk of an instance and delete its volume (detached live when running)")
public class InstanceDiskRemoveCommand extends SkiffAction {

    @Reference
    private InstanceService instances;

    @Reference
    private TaskEngine engine;

    @Option(name = "-w", aliases = "--wait", description = "Wait for the task and print its progress")
    private boolean await;

    @Argument(index = 0, name = "instance", description = "Instance name or id", required = true)
    @Completion(InstanceNameCompleter.class)
    private String instance;

    @Argument(index = 1, name = "disk", description = "Disk index (1 or more; 0 is the system disk)", required = true)
    private int disk;

    @Override
    protected Object run() throws Exception {
        io.skiff.api.model.InstanceStatus target = instances.get(instance);
        requireVisible(target.owner(), target.group(), "instance", instance);
        TaskInfo task = instances.removeDisk(target.id(), disk, caller().name());
        System.out.println("Instance " + instance + ": disk " + disk + " is removed, task " + task.id() + " queued");
        if (await) {
            TaskWaiter.follow(engine, task, System.out, 600);
        }
        return null;
    }
}
