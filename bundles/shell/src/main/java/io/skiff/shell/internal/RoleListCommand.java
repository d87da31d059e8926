package io.skiff.shell.internal;

import io.skiff.api.model.Role;
import io.skiff.api.service.RequiresPermission;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import java.util.TreeSet;

@Service
@Command(scope = "skiff", name = "role-list", description = "Lists the roles and their permissions")
@RequiresPermission("role.read")
public class RoleListCommand extends SkiffAction {

    @Override
    protected Object run() {
        ShellTable table = new ShellTable();
        table.column("Role");
        table.column("Built in");
        table.column("Permissions").maxSize(100).wrap();
        for (Role r : identity.roles()) {
            table.addRow().addContent(r.name(), r.builtIn() ? "yes" : "no", String.join(" ", new TreeSet<>(r.permissions())));
        }
        table.print(System.out);
        return null;
    }
}
