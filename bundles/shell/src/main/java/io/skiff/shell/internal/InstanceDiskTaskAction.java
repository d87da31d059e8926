package io.skiff.shell.internal;

import io.skiff.api.service.InstanceDiskService;
import org.apache.karaf.shell.api.action.lifecycle.Reference;

/** Base of the commands that queue a task on the disks of one instance. */
abstract class InstanceDiskTaskAction extends InstanceTaskAction {

    @Reference
    protected InstanceDiskService disks;
}
