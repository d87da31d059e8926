package io.skiff.shell.internal;

import io.skiff.api.service.RequiresPermission;
import io.skiff.api.service.SkiffException;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import java.util.ArrayList;
import java.util.List;

/** {@code skiff:user-ssh-keys}: lists, adds and removes a user's SSH public keys for the shell. */
@Service
@Command(scope = "skiff", name = "user-ssh-keys", description = "Lists, adds or removes SSH public keys for signing in to the shell (yours, or another user's with user.read/user.write)")
@RequiresPermission("account.self")
public class UserSshKeysCommand extends AccountAction {

    @Option(name = "-a", aliases = "--add", description = "A public key to add: one line of authorized_keys, quoted")
    private String add;

    @Option(name = "-r", aliases = "--remove", description = "Number of the key to remove, as listed")
    private Integer remove;

    @Override
    protected Object run() throws Exception {
        String user = user();
        boolean change = add != null || remove != null;
        requireSelfOr(user, change ? "user.write" : "user.read");
        List<String> keys = new ArrayList<>(identity.sshKeys(user));
        if (remove != null) {
            if (remove < 1 || remove > keys.size()) {
                throw SkiffException.invalid("remove", keys.isEmpty() ? user + " has no SSH keys"
                        : "keys of " + user + " are numbered 1 to " + keys.size());
            }
            keys.remove(remove - 1);
        }
        if (add != null) {
            keys.add(add);
        }
        if (change) {
            keys = identity.setSshKeys(user, keys, caller().name());
        }
        if (keys.isEmpty()) {
            System.out.println(user + " has no SSH keys");
        }
        for (int i = 0; i < keys.size(); i++) {
            System.out.println((i + 1) + "  " + abbreviated(keys.get(i)));
        }
        return null;
    }

    /** {@code type AAAA…last16 comment}: enough to tell keys apart. */
    static String abbreviated(String line) {
        String[] parts = line.split(" ", 3);
        String blob = parts.length > 1 && parts[1].length() > 28
                ? parts[1].substring(0, 12) + "…" + parts[1].substring(parts[1].length() - 16) : (parts.length > 1 ? parts[1] : "");
        return parts[0] + " " + blob + (parts.length > 2 ? " " + parts[2] : "");
    }
}
