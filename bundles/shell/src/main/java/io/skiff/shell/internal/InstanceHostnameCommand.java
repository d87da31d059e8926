package io.skiff.shell.internal;

import io.skiff.api.service.GuestAgentService;
import io.skiff.api.service.RequiresPermission;
import io.skiff.api.service.SkiffException;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "skiff", name = "instance-hostname",
        description = "Changes a running guest's host name through the QEMU guest agent")
@RequiresPermission("instance.operate")
public class InstanceHostnameCommand extends SkiffAction {

    /** Provided by the guest-init bundle; without it the command says the guest agent is not available. */
    @Reference(optional = true)
    private GuestAgentService guestAgent;

    private GuestAgentService guestAgent() {
        if (guestAgent == null) {
            throw SkiffException.unavailable("the QEMU guest agent is not available (bundle skiff-guest-init)");
        }
        return guestAgent;
    }

    @Argument(index = 0, name = "instance", description = "Instance name or id", required = true)
    @Completion(InstanceNameCompleter.class)
    private String name;

    @Argument(index = 1, name = "hostname", description = "New host name", required = true)
    private String hostname;

    @Override
    protected Object run() {
        System.out.println("Instance " + name + ": " + guestAgent().changeGuestHostname(name, hostname, caller()));
        return null;
    }
}
