package io.skiff.shell.internal;

import io.skiff.api.model.TaskInfo;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.RequiresPermission;
import io.skiff.api.service.SnapshotService;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "skiff", name = "snapshot-create",
        description = "Takes a snapshot of an instance (with its memory when it runs)")
@RequiresPermission("instance.operate")
public class SnapshotCreateCommand extends InstanceTaskAction {

    @Reference
    private SnapshotService snapshots;

    @Argument(index = 1, name = "snapshot", description = "Snapshot name", required = true)
    private String snapshot;

    @Option(name = "-d", aliases = "--description", description = "Free text")
    private String description;

    @Override
    protected TaskInfo submit(AuthenticatedUser caller) {
        return snapshots.createSnapshot(name, snapshot, description, caller);
    }
}
