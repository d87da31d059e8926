package io.skiff.shell.internal;

import io.skiff.api.service.GuestAgentService;
import io.skiff.api.service.InstanceService;
import io.skiff.api.service.RequiresPermission;
import io.skiff.api.service.SkiffException;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

@Service
@Command(scope = "skiff", name = "instance-password",
        description = "Sets a user's password in a running guest through the QEMU guest agent (asks for it unless given)")
@RequiresPermission("instance.operate")
public class InstancePasswordCommand extends SkiffAction {

    /** Provided by the guest-init bundle; without it the command says the guest agent is not available. */
    @Reference(optional = true)
    private GuestAgentService guestAgent;

    private GuestAgentService guestAgent() {
        if (guestAgent == null) {
            throw SkiffException.unavailable("the QEMU guest agent is not available (bundle skiff-guest-init)");
        }
        return guestAgent;
    }

    @Reference
    private InstanceService instances;

    @Reference
    private Session session;

    @Argument(index = 0, name = "instance", description = "Instance name or id", required = true)
    @Completion(InstanceNameCompleter.class)
    private String name;

    @Argument(index = 1, name = "user", description = "Guest user", required = true)
    private String user;

    @Option(name = "-p", aliases = "--password",
            description = "The new password (visible in the shell's history; without it the shell asks)")
    private String given;

    @Override
    protected Object run() throws Exception {
        instances.get(name, caller()); // refuses an instance the caller may not see before asking for a password
        String password = given != null ? given : Prompts.secret(session, "Password for " + user + ": ");
        System.out.println("Instance " + name + ": " + guestAgent().resetGuestPassword(name, user, password, caller()));
        return null;
    }
}
