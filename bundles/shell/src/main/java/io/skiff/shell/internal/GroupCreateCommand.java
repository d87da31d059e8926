package io.skiff.shell.internal;

import io.skiff.api.model.Group;
import io.skiff.api.service.RequiresPermission;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "skiff", name = "group-create", description = "Creates a user group")
@RequiresPermission("group.write")
public class GroupCreateCommand extends QuotaAction {

    @Argument(index = 0, name = "name", description = "Group name", required = true)
    private String name;

    @Option(name = "-d", aliases = "--description", description = "Description")
    private String description;

    @Option(name = "-s", aliases = "--share", description = "Members see each other's instances, images and media")
    private boolean share;

    @Option(name = "--parent", description = "Enclosing group")
    private String parent;

    @Override
    protected Object run() {
        Group g = identity.createGroup(new Group(name, description, share,
                quota(null), parent));
        System.out.println("Group " + g.name() + " created" + (g.shareResources() ? ", sharing resources" : ""));
        return null;
    }
}
