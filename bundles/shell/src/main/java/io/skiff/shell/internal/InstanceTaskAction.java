package io.skiff.shell.internal;

import io.skiff.api.model.TaskInfo;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.InstanceService;
import io.skiff.api.task.TaskEngine;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;

/** Base of the commands that queue a task on one instance and may follow it with {@code --wait}. */
abstract class InstanceTaskAction extends SkiffAction {

    @Reference
    protected InstanceService instances;

    @Reference
    private TaskEngine engine;

    @Option(name = "-w", aliases = "--wait", description = "Wait for the task and print its progress")
    private boolean await;

    @Argument(index = 0, name = "instance", description = "Instance name or id", required = true)
    @Completion(InstanceNameCompleter.class)
    protected String name;

    /** Queues the command's task. */
    protected abstract TaskInfo submit(AuthenticatedUser caller);

    /** @return what the task does, for the line that says it is queued (e.g. {@code disk 1 is removed}), or "" */
    protected String queued() {
        return "";
    }

    @Override
    protected final Object run() throws Exception {
        name = instances.get(name, caller()).spec().name();
        TaskInfo task = submit(caller());
        String what = queued();
        System.out.println("Instance " + name + ": " + (what.isEmpty() ? "" : what + ", ") + "task " + task.id()
                + " queued");
        if (await) {
            TaskWaiter.follow(engine, task, System.out, 600);
        }
        return null;
    }
}
