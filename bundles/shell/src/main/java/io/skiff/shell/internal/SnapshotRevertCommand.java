package io.skiff.shell.internal;

import io.skiff.api.model.TaskInfo;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "skiff", name = "snapshot-revert", description = "Returns an instance to one of its snapshots")
public class SnapshotRevertCommand extends InstanceTaskAction {

    @Argument(index = 1, name = "snapshot", description = "Snapshot name", required = true)
    private String snapshot;

    @Override
    protected TaskInfo submit(String user) {
        return instances.revertSnapshot(name, snapshot, user);
    }
}
