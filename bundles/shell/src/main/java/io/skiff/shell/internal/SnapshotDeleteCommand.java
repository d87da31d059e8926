package io.skiff.shell.internal;

import io.skiff.api.model.TaskInfo;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.RequiresPermission;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "skiff", name = "snapshot-delete", description = "Deletes a snapshot; its children stay valid")
@RequiresPermission("instance.operate")
public class SnapshotDeleteCommand extends SnapshotTaskAction {

    @Override
    protected TaskInfo submit(AuthenticatedUser caller) {
        return snapshots.deleteSnapshot(name, snapshot, caller);
    }
}
