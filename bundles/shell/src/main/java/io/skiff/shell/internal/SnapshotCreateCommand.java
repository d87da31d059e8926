package io.skiff.shell.internal;

import io.skiff.api.model.TaskInfo;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.RequiresPermission;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "skiff", name = "snapshot-create",
        description = "Takes a snapshot of an instance (with its memory when it runs)")
@RequiresPermission("instance.operate")
public class SnapshotCreateCommand extends SnapshotTaskAction {

    @Option(name = "-d", aliases = "--description", description = "Free text")
    private String description;

    @Override
    protected TaskInfo submit(AuthenticatedUser caller) {
        return snapshots.createSnapshot(name, snapshot, description, caller);
    }
}
