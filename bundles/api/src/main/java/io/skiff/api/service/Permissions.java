package io.skiff.api.service;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The named permissions every REST operation and shell command checks, and what the built-in roles grant.
 * A bundle that adds operations adds its permission here (and to the built-in roles that should hold it).
 */
public final class Permissions {
    /** Grants every permission, also ones added later. */
    public static final String ALL = "*";
    /** See and act on every user's instances, images and media, not only one's own or one's shared group's. */
    public static final String RESOURCE_ALL = "resource.all";
    /** Change one's own password and SSH keys, and sign out (every built-in role holds it). */
    public static final String ACCOUNT_SELF = "account.self";

    /** Every permission with what it allows. */
    public static final Map<String, String> CATALOG;

    static {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("pool.read", "list and read compute pools");
        m.put("pool.write", "create, change and delete compute pools");
        m.put("cell.read", "list and read cells and their capabilities");
        m.put("cell.write", "add cells to pools, enable, disable and forget them");
        m.put("storage.read", "list and read storage pools with their capacity, and the cells' own storage pools");
        m.put("storage.manage", "create and delete storage pools, attach them to compute pools and detach them");
        m.put("task.read", "list and read tasks (others' tasks only with resource.all)");
        m.put("task.rollback", "retry the rollback of a task whose rollback failed (ROLLBACK_FAILED)");
        m.put("instance.read", "list and read visible instances and their console log");
        m.put("instance.write", "create, change and delete visible instances (also their disks, media drive and boot "
                + "device)");
        m.put("instance.operate", "start, stop and restart visible instances");
        m.put("instance.migrate", "move instances to another cell and evacuate cells");
        m.put("instance.console", "open the browser console of visible instances (one-time tokens)");
        m.put("instance.vnc", "read the VNC address and password of one's own instances (admins: all)");
        m.put("image.read", "list and read visible images");
        m.put("image.import", "import images from files on the Core's host");
        m.put("image.write", "delete visible images");
        m.put("session.delete", "sign out");
        m.put(ACCOUNT_SELF, "change one's own password and SSH keys");
        m.put("user.read", "list and read users");
        m.put("user.write", "create, change, disable and delete users, set their passwords and quotas");
        m.put("group.read", "list and read groups");
        m.put("group.write", "create, change and delete groups and their quotas");
        m.put("role.read", "list and read roles and permissions");
        m.put("role.write", "create, change and delete custom roles");
        m.put("oplog.read", "query the operation log");
        m.put("provider.read", "list providers and component activations");
        m.put("metrics.read", "scrape the Prometheus metrics (GET /api/v1/metrics)");
        m.put("address.read", "list address pools, their ranges and bindings");
        m.put("address.write", "create, change, attach and delete address pools and their ranges; re-bind addresses");
        m.put("provider.write", "remove a provider's feature");
        m.put(RESOURCE_ALL, "see and act on every user's instances, images and media");
        CATALOG = Collections.unmodifiableMap(m);
    }

    /** Built-in role {@code operator}: pools, cells and all instances, read access to accounts and the log. */
    public static final Set<String> OPERATOR = Set.of("pool.read", "pool.write", "cell.read", "cell.write",
            "storage.read", "storage.manage", "task.read", "task.rollback", "instance.read", "instance.write", "instance.operate", "instance.console",
            "instance.migrate", "image.read",
            "image.import", "image.write", "session.delete", ACCOUNT_SELF, "user.read", "group.read", "role.read",
            "oplog.read", "provider.read", "metrics.read", "address.read", "address.write", RESOURCE_ALL);

    /** Built-in role {@code user}: its own instances and images, within its quotas. */
    public static final Set<String> USER = Set.of("pool.read", "task.read", "instance.read", "instance.write",
            "instance.operate", "instance.console", "instance.vnc", "image.read", "image.write", "session.delete",
            ACCOUNT_SELF);

    private Permissions() {
    }

    /**
     * @param permission a permission's name
     * @return whether an operation needing it may change state: every permission but the {@code *.read} ones (used
     *     by the operation log's rule, {@link OperationLogRule})
     * @since 1.2 of this package
     */
    public static boolean changesState(String permission) {
        return !permission.endsWith(".read");
    }
}
