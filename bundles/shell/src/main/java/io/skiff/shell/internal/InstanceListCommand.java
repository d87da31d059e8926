package io.skiff.shell.internal;

import io.skiff.api.model.InstanceStatus;
import io.skiff.api.service.InstanceService;
import io.skiff.api.service.RequiresPermission;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Service
@Command(scope = "skiff", name = "instance-list", description = "Lists the instances")
@RequiresPermission("instance.read")
public class InstanceListCommand extends SkiffAction {

    @Reference
    private InstanceService instances;

    @Override
    protected Object run() {
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
        table.column("Id");
        for (InstanceStatus i : instances.list(caller())) {
            table.addRow().addContent(i.spec().name(), i.state().name().toLowerCase(), i.spec().poolId(), i.cellId(),
                    i.spec().cores(), bytes(i.spec().memoryBytes()),
                    i.stats() == null ? "-" : String.format("%.1f", i.stats().cpuPercent()),
                    i.address() == null ? "-" : i.address(), i.spec().profile(), i.id());
        }
        table.print(System.out);
        return null;
    }
}
