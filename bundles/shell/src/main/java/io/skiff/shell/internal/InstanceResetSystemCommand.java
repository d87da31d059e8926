package io.skiff.shell.internal;

import io.skiff.api.model.TaskInfo;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "skiff", name = "instance-reset-system",
        description = "Reinstalls the system disk from the instance's image, keeping its identity")
public class InstanceResetSystemCommand extends InstanceTaskAction {

    @Override
    protected TaskInfo submit(String user) {
        return instances.resetSystem(name, user);
    }
}
