package io.skiff.shell.internal;

import io.skiff.api.model.TaskInfo;
import io.skiff.api.task.TaskEngine;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Service
@Command(scope = "skiff", name = "task-list", description = "Lists tasks, newest first")
public class TaskListCommand extends SkiffAction {

    @Reference
    private TaskEngine engine;

    @Option(name = "-n", aliases = "--limit", description = "Show at most this many tasks")
    private int limit = 50;

    @Override
    protected Object run() {
        ShellTable table = new ShellTable();
        table.column("Id");
        table.column("Task");
        table.column("State");
        table.column("Progress").alignRight();
        table.column("User");
        table.column("Created");
        table.column("Message");
        for (TaskInfo t : engine.list().stream().filter(x -> caller().hasPermission(io.skiff.api.service.Permissions.RESOURCE_ALL)
                || caller().name().equals(x.user())).limit(limit).toList()) {
            table.addRow().addContent(t.id(), t.name(), t.state().name().toLowerCase(), t.progress() + "%", t.user(),
                    t.createdAt(), t.error() != null ? t.error() : t.message());
        }
        table.print(System.out);
        return null;
    }
}
