package io.skiff.shell.internal;

import io.skiff.api.model.StoragePool;
import io.skiff.api.service.RequiresPermission;
import io.skiff.api.service.StoragePoolService;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import java.util.Locale;
import java.util.Map;

@Service
@Command(scope = "skiff", name = "storage-pool-list",
        description = "Lists the storage pools the Core defines, with capacity, free space and compute pools")
@RequiresPermission("storage.read")
public class StoragePoolListCommand extends SkiffAction {

    @Reference
    private StoragePoolService pools;

    @Override
    protected Object run() {
        ShellTable table = new ShellTable();
        table.column("Name");
        table.column("Type");
        table.column("Where");
        table.column("Capacity").alignRight();
        table.column("Free").alignRight();
        table.column("Compute pools");
        for (StoragePool p : pools.list(caller())) {
            table.addRow().addContent(p.name(), p.provider(), where(p), gib(p.capacityBytes()), gib(p.freeBytes()),
                    String.join(", ", p.computePools()));
        }
        table.print(System.out);
        return null;
    }

    /** {@code server:/export (mode)} for NFS, the directory for a local pool. */
    static String where(StoragePool p) {
        Map<String, String> s = p.settings();
        if (StoragePool.NFS.equals(p.provider())) {
            return s.get("server") + ":" + s.get("export") + " (" + s.getOrDefault("mode", "libnfs") + ")";
        }
        return s.getOrDefault("path", "(each cell's default directory)");
    }

    static String gib(long bytes) {
        return bytes == 0 ? "-" : String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
    }
}
