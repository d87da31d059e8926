package io.skiff.shell.internal;

import io.skiff.api.service.RequiresPermission;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "skiff", name = "group-delete", description = "Deletes an empty group")
@RequiresPermission("group.write")
public class GroupDeleteCommand extends SkiffAction {

    @Argument(index = 0, name = "name", description = "Group", required = true)
    private String name;

    @Override
    protected Object run() {
        identity.deleteGroup(name);
        System.out.println("Group " + name + " deleted");
        return null;
    }
}
