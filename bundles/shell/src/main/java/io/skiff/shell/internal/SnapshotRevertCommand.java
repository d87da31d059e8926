package io.skiff.shell.internal;

import io.skiff.api.model.TaskInfo;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.RequiresPermission;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "skiff", name = "snapshot-revert", description = "Returns an instance to one of its snapshots")
@RequiresPermission("instance.operate")
public class SnapshotRevertCommand extends SnapshotTaskAction {

    @Override
    protected TaskInfo submit(AuthenticatedUser caller) {
        return snapshots.revertSnapshot(name, snapshot, caller);
    }
}
