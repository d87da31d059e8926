package io.skiff.shell.internal;

import io.skiff.api.model.StepInfo;
import io.skiff.api.model.TaskInfo;
import io.skiff.api.service.RequiresPermission;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Service
@Command(scope = "skiff", name = "task-info", description = "Shows a task and its steps")
@RequiresPermission("task.read")
public class TaskInfoCommand extends TaskAction {

    @Override
    protected Object run() {
        TaskInfo t = visibleTask();
        System.out.println("Task     : " + t.id() + " (" + t.name() + ")");
        System.out.println("State    : " + t.state().name().toLowerCase() + ", " + t.progress() + "%");
        System.out.println("User     : " + t.user());
        System.out.println("Resources: " + String.join(", ", t.resources()));
        System.out.println("Created  : " + t.createdAt() + "  started: " + t.startedAt() + "  finished: "
                + t.finishedAt());
        if (t.error() != null) {
            System.out.println("Error    : " + t.error());
        }
        ShellTable table = new ShellTable();
        table.column("#").alignRight();
        table.column("Step");
        table.column("State");
        int i = 1;
        for (StepInfo s : t.steps()) {
            table.addRow().addContent(i++, s.name(), s.state().name().toLowerCase());
        }
        table.print(System.out);
        return null;
    }
}
