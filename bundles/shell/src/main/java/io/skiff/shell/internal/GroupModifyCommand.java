package io.skiff.shell.internal;

import io.skiff.api.model.Group;
import io.skiff.api.service.RequiresPermission;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "skiff", name = "group-modify", description = "Changes a group: --share/--no-share, parent, quota (-1 removes a limit)")
@RequiresPermission("group.write")
public class GroupModifyCommand extends QuotaAction {

    @Argument(index = 0, name = "name", description = "Group", required = true)
    private String name;

    @Option(name = "-d", aliases = "--description", description = "Description")
    private String description;

    @Option(name = "--share", description = "Members see each other's instances, images and media")
    private boolean share;

    @Option(name = "--no-share", description = "Each member sees only its own resources")
    private boolean noShare;

    @Option(name = "--parent", description = "Enclosing group")
    private String parent;

    @Override
    protected Object run() {
        if (share && noShare) {
            throw io.skiff.api.service.SkiffException.invalid("shareResources", "give --share or --no-share, not both");
        }
        Group old = identity.group(name);
        Group g = identity.updateGroup(new Group(name, description == null ? old.description() : description,
                share || (!noShare && old.shareResources()),
                quota(old.quota()),
                parent == null ? old.parent() : parent));
        System.out.println("Group " + g.name() + ": " + (g.shareResources() ? "sharing" : "not sharing")
                + " resources, quota " + QuotaOptions.format(g.quota()));
        return null;
    }
}
