package io.skiff.shell.internal;

import io.skiff.api.model.TaskInfo;
import io.skiff.api.service.RequiresPermission;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "skiff", name = "task-rollback",
        description = "Retries the rollback of a task whose rollback failed (state rollback_failed)")
@RequiresPermission("task.rollback")
public class TaskRollbackCommand extends TaskAction {

    @Override
    protected Object run() {
        TaskInfo t = visibleTask();
        TaskInfo retried = engine.retryRollback(t.id(), caller().name());
        System.out.println("task " + retried.id() + " (" + retried.name() + "): rolling back again; "
                + "skiff:task-info " + retried.id() + " shows how it goes");
        return null;
    }
}
