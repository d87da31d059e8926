package io.skiff.shell.internal;

import io.skiff.api.model.Snapshot;
import io.skiff.api.service.RequiresPermission;
import io.skiff.api.service.SnapshotService;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

@Service
@Command(scope = "skiff", name = "snapshot-list", description = "Lists an instance's snapshots as a tree")
@RequiresPermission("instance.read")
public class SnapshotListCommand extends InstanceAction {

    @Reference
    private SnapshotService snapshotService;

    @Override
    protected Object run() {
        List<Snapshot> snapshots = snapshotService.snapshots(name, caller());
        if (snapshots.isEmpty()) {
            System.out.println("Instance " + name + " has no snapshots");
            return null;
        }
        // parents come before children: a child is one deeper than its parent
        Map<String, Integer> depth = new HashMap<>();
        System.out.printf("%-32s %-8s %-21s %s%n", "SNAPSHOT", "STATE", "CREATED", "DESCRIPTION");
        for (Snapshot s : snapshots) {
            int d = s.parentId() == null || !depth.containsKey(s.parentId()) ? 0 : depth.get(s.parentId()) + 1;
            depth.put(s.name(), d);
            String label = "  ".repeat(d) + (d > 0 ? "└ " : "") + s.name() + (s.current() ? " *" : "");
            System.out.printf("%-32s %-8s %-21s %s%n", label, s.instanceState(),
                    s.createdAt() == null ? "" : s.createdAt().toString(),
                    s.description() == null ? "" : s.description());
        }
        return null;
    }
}
