package io.skiff.shell.internal;

import io.skiff.api.model.TaskInfo;
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

    /**
     * @return the task; not found, as if it did not exist, unless it is the caller's or the caller sees every resource
     *     ({@link TaskEngine#get(String, io.skiff.api.service.AuthenticatedUser)})
     */
    protected TaskInfo visibleTask() {
        return engine.get(id, caller()).orElseThrow(() -> SkiffException.notFound("task", id));
    }
}
