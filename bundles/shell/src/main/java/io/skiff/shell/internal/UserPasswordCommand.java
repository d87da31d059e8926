package io.skiff.shell.internal;

import io.skiff.api.service.RequiresPermission;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

@Service
@Command(scope = "skiff", name = "user-password", description = "Changes a password (your own, or another user's with user.write); asks unless given")
@RequiresPermission("account.self")
public class UserPasswordCommand extends AccountAction {

    @Reference
    private Session session;

    @Option(name = "-c", aliases = "--current", description = "Current password (required for your own)")
    private String current;

    @Option(name = "-p", aliases = "--password", description = "New password")
    private String password;

    @Override
    protected Object run() throws Exception {
        String user = user();
        boolean self = user.equals(caller().name());
        requireSelfOr(user, "user.write");
        String cur = current;
        if (self && cur == null) {
            cur = Prompts.secret(session, "Current password: ");
        }
        String pw = password != null ? password : Prompts.secret(session, "New password for " + user + ": ");
        identity.changePassword(user, cur, pw, caller().name());
        System.out.println("Password of " + user + " changed; its sessions have ended");
        return null;
    }
}
