package io.skiff.shell.internal;

import io.skiff.api.model.User;
import io.skiff.api.service.RequiresPermission;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Service
@Command(scope = "skiff", name = "user-list", description = "Lists the users")
@RequiresPermission("user.read")
public class UserListCommand extends SkiffAction {

    @Override
    protected Object run() {
        ShellTable table = new ShellTable();
        for (String c : new String[]{"Name", "Display name", "Group", "Roles", "Enabled", "Quota", "Created"}) {
            table.column(c);
        }
        for (User u : identity.users()) {
            table.addRow().addContent(u.name(), u.displayName(), u.group(), String.join(",", u.roles()),
                    u.enabled() ? "yes" : "no", QuotaOptions.format(u.quota()), u.createdAt());
        }
        table.print(System.out);
        return null;
    }
}
