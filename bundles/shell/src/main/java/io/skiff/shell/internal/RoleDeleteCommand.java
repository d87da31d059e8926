package io.skiff.shell.internal;

import io.skiff.api.service.RequiresPermission;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "skiff", name = "role-delete", description = "Deletes a custom role no user holds")
@RequiresPermission("role.write")
public class RoleDeleteCommand extends SkiffAction {

    @Argument(index = 0, name = "name", description = "Role", required = true)
    private String name;

    @Override
    protected Object run() {
        identity.deleteRole(name);
        System.out.println("Role " + name + " deleted");
        return null;
    }
}
