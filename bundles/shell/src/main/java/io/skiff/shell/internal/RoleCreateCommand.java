package io.skiff.shell.internal;

import io.skiff.api.model.Role;
import io.skiff.api.service.RequiresPermission;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import java.util.List;
import java.util.Set;

@Service
@Command(scope = "skiff", name = "role-create", description = "Creates a custom role from named permissions")
@RequiresPermission("role.write")
public class RoleCreateCommand extends SkiffAction {

    @Argument(index = 0, name = "name", description = "Role name", required = true)
    private String name;

    @Argument(index = 1, name = "permissions", description = "Permission names, e.g. instance.read", required = true,
            multiValued = true)
    private List<String> permissions;

    @Option(name = "-d", aliases = "--description", description = "Description")
    private String description;

    @Override
    protected Object run() {
        Role r = identity.createRole(new Role(name, Set.copyOf(permissions), false, description));
        System.out.println("Role " + r.name() + " created: " + String.join(" ", r.permissions()));
        return null;
    }
}
