package io.skiff.shell.internal;

import io.skiff.api.service.InstanceService;
import io.skiff.api.service.RequiresPermission;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "skiff", name = "instance-console-log", description = "Prints the tail of an instance's serial console")
@RequiresPermission("instance.read")
public class InstanceConsoleLogCommand extends SkiffAction {

    @Reference
    private InstanceService instances;

    @Option(name = "-n", aliases = "--bytes", description = "At most this many bytes from the end (default 8192)")
    private int bytes = 8192;

    @Argument(index = 0, name = "instance", description = "Instance name or id", required = true)
    @Completion(InstanceNameCompleter.class)
    private String name;

    @Override
    protected Object run() {
        System.out.print(instances.consoleLog(name, bytes, caller()));
        return null;
    }
}
