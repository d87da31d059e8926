package io.skiff.shell.internal;

import io.skiff.api.model.InstanceStatus;
import io.skiff.api.service.RequiresPermission;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "skiff", name = "instance-console-log", description = "Prints the tail of an instance's serial console")
@RequiresPermission("instance.read")
public class InstanceConsoleLogCommand extends InstanceAction {

    @Option(name = "-n", aliases = "--bytes", description = "At most this many bytes from the end (default 8192)")
    private int bytes = 8192;

    @Override
    protected Object run() {
        System.out.print(instances.consoleLog(name, bytes, caller()));
        return null;
    }
}
