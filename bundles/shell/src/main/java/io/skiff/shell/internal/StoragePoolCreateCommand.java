package io.skiff.shell.internal;

import io.skiff.api.model.StoragePool;
import io.skiff.api.service.RequiresPermission;
import io.skiff.api.service.StoragePoolService;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;

import java.util.LinkedHashMap;
import java.util.Map;

@Service
@Command(scope = "skiff", name = "storage-pool-create",
        description = "Creates a storage pool (local or nfs) once a cell has checked it, optionally attached to a compute pool")
@RequiresPermission("storage.manage")
public class StoragePoolCreateCommand extends SkiffAction {

    @Reference
    private StoragePoolService pools;

    @Option(name = "-t", aliases = "--type", description = "local or nfs", required = true)
    @Completion(value = StringsCompleter.class, values = {"local", "nfs"})
    private String type;

    @Option(name = "-s", aliases = "--server", description = "nfs: the NFS server's host name or address")
    private String server;

    @Option(name = "-e", aliases = "--export", description = "nfs: the exported directory, e.g. /export")
    private String export;

    @Option(name = "-m", aliases = "--mode", description = "nfs: libnfs (QEMU's own NFS client, default) or mount")
    @Completion(value = StringsCompleter.class, values = {"libnfs", "mount"})
    private String mode;

    @Option(name = "-p", aliases = "--path", description = "local: the directory on each cell's host "
            + "(default <karaf.data>/skiff/pools/<name>)")
    private String path;

    @Option(name = "-a", aliases = "--attach", description = "Compute pool whose new instances keep their disks in it")
    @Completion(PoolNameCompleter.class)
    private String attach;

    @Argument(index = 0, name = "name", description = "Storage pool name", required = true)
    private String name;

    /** The settings the options name; the Core fills in the rest and names what it refuses. */
    Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        putIfSet(settings, "server", server);
        putIfSet(settings, "export", export);
        putIfSet(settings, "mode", mode);
        putIfSet(settings, "path", path);
        return settings;
    }

    private static void putIfSet(Map<String, String> settings, String key, String value) {
        if (value != null) {
            settings.put(key, value);
        }
    }

    @Override
    protected Object run() {
        StoragePool p = pools.create(name, type, settings(), caller());
        System.out.println("Storage pool " + p.name() + " created: " + p.provider() + " "
                + StoragePoolListCommand.where(p));
        if (attach != null) {
            attachOrDelete("Storage pool " + p.name(), attach, () -> pools.attach(p.id(), attach, caller()),
                    () -> pools.delete(p.id(), caller()));
        }
        return null;
    }
}
