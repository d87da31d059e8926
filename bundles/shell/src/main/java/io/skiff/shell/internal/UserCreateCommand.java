package io.skiff.shell.internal;

import io.skiff.api.model.User;
import io.skiff.api.service.RequiresPermission;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

import java.util.List;

@Service
@Command(scope = "skiff", name = "user-create", description = "Creates a user (asks for the password unless -p is given)")
@RequiresPermission("user.write")
public class UserCreateCommand extends SkiffAction {

    @Reference
    private Session session;

    @Argument(index = 0, name = "name", description = "Login name", required = true)
    private String name;

    @Option(name = "-g", aliases = "--group", description = "Group (default: users)")
    private String group;

    @Option(name = "-r", aliases = "--role", description = "Role (repeatable; default: user)", multiValued = true)
    private List<String> roles;

    @Option(name = "-d", aliases = "--display-name", description = "Name shown in the portal")
    private String displayName;

    @Option(name = "-p", aliases = "--password", description = "Password (else asked without echo)")
    private String password;

    @Override
    protected Object run() throws Exception {
        String pw = password != null ? password : session.readLine("Password for " + name + ": ", '*');
        User u = identity.createUser(name, displayName, group, roles, pw, null);
        System.out.println("User " + u.name() + " created in group " + u.group() + " with roles "
                + String.join(",", u.roles()));
        return null;
    }
}
