package io.skiff.shell.internal;

import io.skiff.api.service.RequiresPermission;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

@Service
@Command(scope = "skiff", name = "instance-password",
        description = "Sets a user's password in a running guest through the QEMU guest agent (asks for it unless given)")
@RequiresPermission("instance.operate")
public class InstancePasswordCommand extends GuestAgentAction {

    @Reference
    private Session session;

    @Argument(index = 1, name = "user", description = "Guest user", required = true)
    private String user;

    @Option(name = "-p", aliases = "--password",
            description = "The new password (visible in the shell's history; without it the shell asks)")
    private String given;

    @Override
    protected String change() throws Exception {
        String password = given != null ? given : Prompts.secret(session, "Password for " + user + ": ");
        return guestAgent().resetGuestPassword(name, user, password, caller());
    }
}
