package io.skiff.shell.internal;

import io.skiff.api.service.SnapshotService;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.lifecycle.Reference;

/** Base of the commands that queue a task on one snapshot of an instance, named in their second argument. */
abstract class SnapshotTaskAction extends InstanceTaskAction {

    @Reference
    protected SnapshotService snapshots;

    @Argument(index = 1, name = "snapshot", description = "Snapshot name", required = true)
    protected String snapshot;
}
