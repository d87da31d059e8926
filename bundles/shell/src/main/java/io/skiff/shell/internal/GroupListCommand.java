package io.skiff.shell.internal;

import io.skiff.api.model.Group;
import io.skiff.api.service.RequiresPermission;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Service
@Command(scope = "skiff", name = "group-list", description = "Lists the user groups")
@RequiresPermission("group.read")
public class GroupListCommand extends SkiffAction {

    @Override
    protected Object run() {
        ShellTable table = new ShellTable();
        for (String c : new String[]{"Name", "Shares resources", "Parent", "Quota", "Description"}) {
            table.column(c);
        }
        for (Group g : identity.groups()) {
            table.addRow().addContent(g.name(), g.shareResources() ? "yes" : "no", g.parent() == null ? "-" : g.parent(),
                    QuotaOptions.format(g.quota()), g.description() == null ? "" : g.description());
        }
        table.print(System.out);
        return null;
    }
}
