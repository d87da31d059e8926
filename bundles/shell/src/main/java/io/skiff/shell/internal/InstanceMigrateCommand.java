package io.skiff.shell.internal;

import io.skiff.api.model.TaskInfo;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.InstanceMigrationService;
import io.skiff.api.service.RequiresPermission;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "skiff", name = "instance-migrate", description = "Moves an instance to another cell of its pool:"
        + " live when it runs, cold when it is stopped")
@RequiresPermission("instance.migrate")
public class InstanceMigrateCommand extends InstanceTaskAction {

    @Reference
    private InstanceMigrationService migrations;

    @Option(name = "-c", aliases = "--cell", description = "Target cell id (default: the placement policy chooses one"
            + " in the same pool)")
    @Completion(CellIdCompleter.class)
    private String cell;

    @Override
    protected TaskInfo submit(AuthenticatedUser caller) {
        return migrations.migrate(name, cell, caller);
    }

    @Override
    protected String queued() {
        return "moves to " + (cell == null ? "a cell the placement policy chooses" : "cell " + cell);
    }
}
