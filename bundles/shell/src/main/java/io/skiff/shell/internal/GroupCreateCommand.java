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
public class GroupCreateCommand extends SkiffAction {

    @Argument(index = 0, name = "name", description = "Group name", required = true)
    private String name;

    @Option(name = "-d", aliases = "--description", description = "Description")
    private String description;

    @Option(name = "-s", aliases = "--share", description = "Members see each other's instances, images and media")
    private boolean share;

    @Option(name = "--parent", description = "Enclosing group")
    private String parent;

    @Option(name = "--max-instances", description = "Quota: instances")
    private Integer maxInstances;

    @Option(name = "--max-cores", description = "Quota: cores")
    private Integer maxCores;

    @Option(name = "--max-memory", description = "Quota: memory in MiB")
    private Long maxMemory;

    @Option(name = "--max-disk", description = "Quota: disk in GiB")
    private Long maxDisk;

    @Override
    protected Object run() {
        Group g = identity.createGroup(new Group(name, description, share,
                QuotaOptions.merge(null, maxInstances, maxCores, maxMemory, maxDisk), parent));
        System.out.println("Group " + g.name() + " created" + (g.shareResources() ? ", sharing resources" : ""));
        return null;
    }
}
