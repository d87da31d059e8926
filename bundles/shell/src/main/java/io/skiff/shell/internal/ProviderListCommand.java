package io.skiff.shell.internal;

import io.skiff.api.model.ProviderInfo;
import io.skiff.api.service.ProviderService;
import io.skiff.api.service.RequiresPermission;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Service
@Command(scope = "skiff", name = "provider-list",
        description = "Lists each SPI's providers: bundle id and version, and what depends on them")
@RequiresPermission("provider.read")
public class ProviderListCommand extends SkiffAction {

    @Reference
    private ProviderService providers;

    @Override
    protected Object run() {
        ShellTable table = new ShellTable();
        table.column("SPI");
        table.column("Provider");
        table.column("Bundle").alignRight();
        table.column("Symbolic name");
        table.column("Version");
        table.column("Service").alignRight();
        table.column("In use by");
        for (ProviderInfo p : providers.providers()) {
            String users = p.usedBy().size() > 4
                    ? String.join(", ", p.usedBy().subList(0, 4)) + " (+" + (p.usedBy().size() - 4) + ")"
                    : String.join(", ", p.usedBy());
            table.addRow().addContent(p.spi(), p.name(), p.bundleId(), p.bundleSymbolicName(), p.bundleVersion(),
                    p.serviceId(), p.inUse() ? users : "-");
        }
        table.print(System.out);
        return null;
    }
}
