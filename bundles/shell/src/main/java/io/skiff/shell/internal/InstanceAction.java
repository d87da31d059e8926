package io.skiff.shell.internal;

import io.skiff.api.model.InstanceStatus;
import io.skiff.api.service.InstanceService;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;

/** Base of the commands on one instance, named or given by id in their first argument. */
abstract class InstanceAction extends SkiffAction {

    @Reference
    protected InstanceService instances;

    @Argument(index = 0, name = "instance", description = "Instance name or id", required = true)
    @Completion(InstanceNameCompleter.class)
    protected String name;

    /**
     * @return the instance of the first argument; not found, as if it did not exist, when the caller may not see it
     *     (the Core's rule)
     */
    protected InstanceStatus visibleInstance() {
        return instances.get(name, caller());
    }
}
