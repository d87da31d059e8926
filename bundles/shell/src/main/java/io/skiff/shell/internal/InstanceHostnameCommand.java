package io.skiff.shell.internal;

import io.skiff.api.service.InstanceService;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "skiff", name = "instance-hostname",
        description = "Changes a running guest's host name through the QEMU guest agent")
public class InstanceHostnameCommand extends SkiffAction {

    @Reference
    private InstanceService instances;

    @Argument(index = 0, name = "instance", description = "Instance name or id", required = true)
    @Completion(InstanceNameCompleter.class)
    private String name;

    @Argument(index = 1, name = "hostname", description = "New host name", required = true)
    private String hostname;

    @Override
    protected Object run() {
        io.skiff.api.model.InstanceStatus target = instances.get(name);
        requireVisible(target.owner(), target.group(), "instance", name);
        System.out.println("Instance " + name + ": " + instances.changeGuestHostname(name, hostname));
        return null;
    }
}
