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

@Service
@Command(scope = "skiff", name = "instance-restart", description = "Restarts an instance")
public class InstanceRestartCommand extends SkiffAction {

    @Reference
    private InstanceService instances;

    @Reference
    private TaskEngine engine;

    @Option(name = "-w", aliases = "--wait", description = "Wait for the task and print its progress")
    private boolean await;

    @Argument(index = 0, name = "instance", description = "Instance name or id", required = true)
    @Completion(InstanceNameCompleter.class)
    private String name;

    @Override
    protected Object run() throws Exception {
        TaskInfo task = instances.restart(name, currentUser());
        System.out.println("Instance " + name + ": task " + task.id() + " queued");
        if (await) {
            TaskWaiter.follow(engine, task, System.out, 600);
        }
        return null;
    }
}
