package io.skiff.shell.internal;

import io.skiff.api.model.ComponentActivation;
import io.skiff.api.service.ProviderService;
import io.skiff.api.service.RequiresPermission;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Service
@Command(scope = "skiff", name = "components",
        description = "Shows each Core and Cell component's activation id and count (unchanged by a live update)")
@RequiresPermission("provider.read")
public class ComponentListCommand extends SkiffAction {

    @Reference
    private ProviderService providers;

    @Override
    protected Object run() {
        ShellTable table = new ShellTable();
        table.column("Component");
        table.column("Bundle");
        table.column("Activation");
        table.column("Count").alignRight();
        table.column("Activated at");
        for (ComponentActivation a : providers.components()) {
            table.addRow().addContent(a.component(), a.bundleSymbolicName(), a.activationId(), a.count(),
                    a.activatedAt());
        }
        table.print(System.out);
        return null;
    }
}
