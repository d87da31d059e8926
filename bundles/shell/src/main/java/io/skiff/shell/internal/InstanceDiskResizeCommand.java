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

/** {@code skiff:instance-disk-resize}. */
@Service
@Command(scope = "skiff", name = "instance-disk-resize", description = "Resize a disk of an instance: grow (live when running) or shrink (stopped, never below its data)")
public class InstanceDiskResizeCommand extends SkiffAction {

    @Reference
    private InstanceService instances;

    @Reference
    private TaskEngine engine;

    @Option(name = "--disk", description = "Disk index, 0 = system disk (default 0)")
    private int disk;

    @Option(name = "-w", aliases = "--wait", description = "Wait for the task and print its progress")
    private boolean await;

    @Argument(index = 0, name = "instance", description = "Instance name or id", required = true)
    @Completion(InstanceNameCompleter.class)
    private String instance;

    @Argument(index = 1, name = "size", description = "New size in MiB", required = true)
    private long sizeMib;

    @Override
    protected Object run() throws Exception {
        io.skiff.api.model.InstanceStatus target = instances.get(instance);
        requireVisible(target.owner(), target.group(), "instance", instance);
        TaskInfo task = instances.resizeDisk(target.id(), disk, sizeMib << 20, caller().name());
        System.out.println("Instance " + instance + ": disk " + disk + " resized to " + sizeMib + " MiB, task "
                + task.id() + " queued");
        if (await) {
            TaskWaiter.follow(engine, task, System.out, 600);
        }
        return null;
    }
}
