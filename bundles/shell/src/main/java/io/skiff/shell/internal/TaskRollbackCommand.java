package io.skiff.shell.internal;

import io.skiff.api.model.TaskInfo;
import io.skiff.api.service.RequiresPermission;
import io.skiff.api.service.SkiffException;
import io.skiff.api.task.TaskEngine;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "skiff", name = "task-rollback",
        description = "Retries the rollback of a task whose rollback failed (state rollback_failed)")
@RequiresPermission("task.rollback")
public class TaskRollbackCommand extends SkiffAction {

    @Reference
    private TaskEngine engine;

    @Argument(index = 0, name = "id", description = "Task id", required = true)
    @Completion(TaskIdCompleter.class)
    private String id;

    @Override
    protected Object run() {
        TaskInfo t = engine.get(id, caller()).orElseThrow(() -> SkiffException.notFound("task", id));
        TaskInfo retried = engine.retryRollback(t.id(), caller().name());
        System.out.println("task " + retried.id() + " (" + retried.name() + "): rolling back again; "
                + "skiff:task-info " + retried.id() + " shows how it goes");
        return null;
    }
}
