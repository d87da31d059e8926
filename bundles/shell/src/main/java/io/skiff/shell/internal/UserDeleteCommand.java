package io.skiff.shell.internal;

import io.skiff.api.service.RequiresPermission;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "skiff", name = "user-delete", description = "Deletes a user (not yourself, not the last admin)")
@RequiresPermission("user.write")
public class UserDeleteCommand extends SkiffAction {

    @Argument(index = 0, name = "name", description = "User", required = true)
    private String name;

    @Override
    protected Object run() {
        identity.deleteUser(name, caller().name());
        System.out.println("User " + name + " deleted");
        return null;
    }
}
