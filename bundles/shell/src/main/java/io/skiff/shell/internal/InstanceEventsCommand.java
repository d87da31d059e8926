package io.skiff.shell.internal;

import io.skiff.api.model.InstanceEvent;
import io.skiff.api.model.InstanceStatus;
import io.skiff.api.service.InstanceEventService;
import io.skiff.api.service.RequiresPermission;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import java.util.List;

/** {@code skiff:instance-events}. */
@Service
@Command(scope = "skiff", name = "instance-events",
        description = "What happened to an instance, newest first: requests, moves, restarts by its cell, failovers,"
                + " fences")
@RequiresPermission("instance.read")
public class InstanceEventsCommand extends InstanceAction {

    @Reference
    private InstanceEventService events;

    @Option(name = "-n", aliases = "--limit", description = "Most events to show (default 20)")
    private int limit = 20;

    @Override
    protected Object run() {
        InstanceStatus target = visibleInstance();
        List<InstanceEvent> list = events.events(target.id(), limit, caller());
        System.out.printf("%-24s %-40s %-16s %-8s %s%n", "Time", "Action", "By", "Outcome", "Detail");
        for (InstanceEvent e : list) {
            System.out.printf("%-24s %-40s %-16s %-8s %s%n", e.time(), e.action(), e.user(), e.outcome(),
                    e.detail() == null ? "" : e.detail());
        }
        return null;
    }
}
