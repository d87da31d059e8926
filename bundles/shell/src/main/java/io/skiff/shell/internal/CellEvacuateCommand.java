package io.skiff.shell.internal;

import io.skiff.api.model.TaskInfo;
import io.skiff.api.service.InstanceMigrationService;
import io.skiff.api.service.RequiresPermission;
import io.skiff.api.task.TaskEngine;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "skiff", name = "cell-evacuate", description = "Disables a cell and moves every instance on it to"
        + " the other cells of its pool (for maintenance); cell-enable brings it back")
@RequiresPermission("instance.migrate")
public class CellEvacuateCommand extends SkiffAction {

    @Reference
    private InstanceMigrationService migrations;

    @Reference
    private TaskEngine engine;

    @Argument(index = 0, name = "cell", description = "Cell id", required = true)
    @Completion(CellIdCompleter.class)
    private String cell;

    @Option(name = "-w", aliases = "--wait", description = "Wait for the evacuation and print its progress")
    private boolean await;

    @Override
    protected Object run() throws Exception {
        TaskInfo task = migrations.evacuate(cell, caller());
        System.out.println("Cell " + cell + ": disabled, evacuation task " + task.id() + " queued ("
                + (task.steps().size() - 1) + " instance(s))");
        if (await) {
            TaskWaiter.follow(engine, task, System.out, 3600);
        }
        return null;
    }
}
