package io.skiff.shell.internal;

import io.skiff.api.model.InstanceStatus;
import io.skiff.api.model.TaskInfo;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.task.TaskEngine;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;

/** Base of the commands that queue a task on one instance and may follow it with {@code --wait}. */
abstract class InstanceTaskAction extends InstanceAction {

    @Reference
    private TaskEngine engine;

    @Option(name = "-w", aliases = "--wait", description = "Wait for the task and print its progress")
    private boolean await;

    private InstanceStatus target;

    /** Queues the command's task. */
    protected abstract TaskInfo submit(AuthenticatedUser caller);

    /** @return what the task does, for the line that says it is queued (e.g. {@code disk 1 is removed}), or "" */
    protected String queued() {
        return "";
    }

    /** Called when {@code --wait} stopped following the task (it did not fail), to say what it changed. */
    protected void afterWait() {
    }

    /** @return the instance the task is for (known once {@link #submit} is called) */
    protected InstanceStatus target() {
        return target;
    }

    @Override
    protected final Object run() throws Exception {
        target = visibleInstance();
        name = target.spec().name();
        TaskInfo task = submit(caller());
        String what = queued();
        System.out.println("Instance " + name + ": " + (what.isEmpty() ? "" : what + ", ") + "task " + task.id()
                + " queued");
        if (await) {
            TaskWaiter.follow(engine, task, System.out, 600);
            afterWait();
        }
        return null;
    }
}
