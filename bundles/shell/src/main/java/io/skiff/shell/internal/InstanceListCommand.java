package io.skiff.shell.internal;

import io.skiff.api.model.InstanceFilter;
import io.skiff.api.model.InstanceState;
import io.skiff.api.model.InstanceStatus;
import io.skiff.api.model.Page;
import io.skiff.api.model.PageRequest;
import io.skiff.api.service.InstanceService;
import io.skiff.api.service.RequiresPermission;
import io.skiff.api.service.SkiffException;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import java.util.List;


@Service
@Command(scope = "skiff", name = "instance-list", description = "Lists the instances by name, filtered by state, "
        + "pool, cell, owner, how the name begins or labels")
@RequiresPermission("instance.read")
public class InstanceListCommand extends SkiffAction {

    @Reference
    private InstanceService instances;

    @Option(name = "-s", aliases = "--state", description = "Only instances in this state (running, stopped, error, "
            + "unknown, ...)")
    private String state;

    @Option(name = "-p", aliases = "--pool", description = "Only instances of this compute pool")
    private String pool;

    @Option(name = "-c", aliases = "--cell", description = "Only instances on this cell")
    private String cell;

    @Option(name = "-o", aliases = "--owner", description = "Only instances of this owner")
    private String owner;

    @Option(name = "--name-prefix", description = "Only instances whose name begins so")
    private String namePrefix;

    @Option(name = "-l", aliases = "--label", description = "Only instances with this label: key=value, or key for"
            + " any value (repeat: all must hold)", multiValued = true)
    private List<String> labels;

    @Option(name = "-n", aliases = "--limit", description = "Show at most this many instances (default 1000)")
    private int limit = 1000;

    @Option(name = "--sort", description = "Order: name (default), createdAt or id; -createdAt for newest first")
    private String sort;

    @Override
    protected Object run() {
        if (limit < 1) {
            throw SkiffException.invalid("limit", "limit must be positive");
        }
        Page<InstanceStatus> page = instances.page(new InstanceFilter(constant("state", state, InstanceState.class),
                pool, cell, owner, namePrefix, labelSelectors("label", labels)), new PageRequest(limit, null, sort, true), caller());
        ShellTable table = new ShellTable();
        table.column("Name");
        table.column("State");
        table.column("Pool");
        table.column("Cell");
        table.column("Cores").alignRight();
        table.column("Memory").alignRight();
        table.column("CPU %").alignRight();
        table.column("Address");
        table.column("Profile");
        table.column("Labels");
        table.column("Id");
        for (InstanceStatus i : page.items()) {
            table.addRow().addContent(i.spec().name(), i.state().name().toLowerCase(), i.spec().poolId(), i.cellId(),
                    i.spec().cores(), bytes(i.spec().memoryBytes()),
                    i.stats() == null ? "-" : String.format("%.1f", i.stats().cpuPercent()),
                    i.address() == null ? "-" : i.address(), i.spec().profile(),
                    labelText(i.spec().labels()), i.id());
        }
        table.print(System.out);
        if (page.total() > page.items().size()) {
            System.out.println((page.total() - page.items().size()) + " more instance(s) not shown: narrow the list with "
                    + "--state, --pool, --cell, --owner, --name-prefix or --label, or raise --limit");
        }
        return null;
    }
}
