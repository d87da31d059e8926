package io.skiff.shell.internal;

import io.skiff.api.model.User;
import io.skiff.api.service.RequiresPermission;
import io.skiff.api.service.SkiffException;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import java.util.List;

@Service
@Command(scope = "skiff", name = "user-modify", description = "Changes a user: group, roles, enabled, quota (-1 removes a limit)")
@RequiresPermission("user.write")
public class UserModifyCommand extends QuotaAction {

    @Argument(index = 0, name = "name", description = "User", required = true)
    private String name;

    @Option(name = "-g", aliases = "--group", description = "New group")
    private String group;

    @Option(name = "-r", aliases = "--role", description = "Roles (repeatable; replaces the user's roles)", multiValued = true)
    private List<String> roles;

    @Option(name = "--enable", description = "Allow sign-in")
    private boolean enable;

    @Option(name = "--disable", description = "Refuse sign-in and end the user's sessions at once")
    private boolean disable;

    @Override
    protected Object run() {
        if (enable && disable) {
            throw SkiffException.invalid("enabled", "give --enable or --disable, not both");
        }
        User old = identity.user(name);
        User u = identity.updateUser(name, null, group, roles, enable ? Boolean.TRUE : disable ? Boolean.FALSE : null,
                quota(old.quota()), caller().name());
        System.out.println("User " + u.name() + ": group " + u.group() + ", roles " + String.join(",", u.roles()) + ", "
                + (u.enabled() ? "enabled" : "disabled") + ", quota " + QuotaOptions.format(u.quota()));
        return null;
    }
}
