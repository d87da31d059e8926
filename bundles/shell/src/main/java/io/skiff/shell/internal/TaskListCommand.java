package io.skiff.shell.internal;

import io.skiff.api.model.TaskInfo;
import io.skiff.api.model.TaskState;
import io.skiff.api.service.RequiresPermission;
import io.skiff.api.task.TaskEngine;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Service
@Command(scope = "skiff", name = "task-list", description = "Lists tasks, newest first")
@RequiresPermission("task.read")
public class TaskListCommand extends SkiffAction {

    @Reference
    private TaskEngine engine;

    @Option(name = "-n", aliases = "--limit", description = "Show at most this many tasks")
    private int limit = 50;

    @Option(name = "-s", aliases = "--state", description = "Only tasks in this state (queued, running, "
            + "rolling_back, succeeded, failed, rollback_failed)")
    private String state;

    @Override
    protected Object run() {
        TaskState only = constant("state", state, TaskState.class);
        long waiting = engine.list(caller()).stream().filter(t -> t.state() == TaskState.ROLLBACK_FAILED).count();
        ShellTable table = new ShellTable();
        table.column("Id");
        table.column("Task");
        table.column("State");
        table.column("Progress").alignRight();
        table.column("User");
        table.column("Created");
        table.column("Message");
        for (TaskInfo t : engine.list(caller()).stream().filter(x -> only == null || x.state() == only)
                .limit(limit).toList()) {
            table.addRow().addContent(t.id(), t.name(), t.state().name().toLowerCase(), t.progress() + "%", t.user(),
                    t.createdAt(), t.error() != null ? t.error() : t.message());
        }
        table.print(System.out);
        if (waiting > 0 && only != TaskState.ROLLBACK_FAILED) {
            System.out.println(waiting + " task(s) could not be rolled back and hold resources: "
                    + "skiff:task-list --state rollback_failed; skiff:task-rollback <id> retries one");
        }
        return null;
    }
}
