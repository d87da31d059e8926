package io.skiff.shell.internal;

import io.skiff.api.service.RequiresPermission;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "skiff", name = "instance-hostname",
        description = "Changes a running guest's host name through the QEMU guest agent")
@RequiresPermission("instance.operate")
public class InstanceHostnameCommand extends GuestAgentAction {

    @Argument(index = 1, name = "hostname", description = "New host name", required = true)
    private String hostname;

    @Override
    protected String change() {
        return guestAgent().changeGuestHostname(name, hostname, caller());
    }
}
