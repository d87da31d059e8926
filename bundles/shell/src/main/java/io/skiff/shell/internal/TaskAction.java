package io.skiff.shell.internal;

import io.skiff.api.model.TaskInfo;
import io.skiff.api.service.Permissions;
import io.skiff.api.service.SkiffException;
import io.skiff.api.task.TaskEngine;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;

/** Base of the commands on one task, given by id in their first argument. */
abstract class TaskAction extends SkiffAction {

    @Reference
    protected TaskEngine engine;

    @Argument(index = 0, name = "id", description = "Task id", required = true)
    @Completion(TaskIdCompleter.class)
    private String id;

    /** @return the task; not found, as if it did not exist, unless it is the caller's or the caller sees every resource */
    protected TaskInfo visibleTask() {
        TaskInfo t = engine.get(id).orElseThrow(() -> SkiffException.notFound("task", id));
        if (!caller().hasPermission(Permissions.RESOURCE_ALL) && !caller().name().equals(t.user())) {
            throw SkiffException.notFound("task", id);
        }
        return t;
    }
}
