package io.skiff.shell.internal;

import java.util.Map;

/**
 * The permission each {@code skiff:} command needs: the same names as the REST operations doing the same
 * thing. A command missing here cannot run (and the unit test lists it).
 */
final class ShellPermissions {
    static final Map<String, String> BY_COMMAND = Map.ofEntries(
            Map.entry("pool-list", "pool.read"),
            Map.entry("pool-info", "pool.read"),
            Map.entry("pool-create", "pool.write"),
            Map.entry("pool-delete", "pool.write"),
            Map.entry("cell-list", "cell.read"),
            Map.entry("cell-add", "cell.write"),
            Map.entry("cell-remove", "cell.write"),
            Map.entry("cell-enable", "cell.write"),
            Map.entry("cell-disable", "cell.write"),
            Map.entry("task-list", "task.read"),
            Map.entry("task-info", "task.read"),
            Map.entry("task-rollback", "task.rollback"),
            Map.entry("instance-list", "instance.read"),
            Map.entry("instance-info", "instance.read"),
            Map.entry("instance-console-log", "instance.read"),
            Map.entry("instance-create", "instance.write"),
            Map.entry("instance-delete", "instance.write"),
            Map.entry("instance-start", "instance.operate"),
            Map.entry("instance-stop", "instance.operate"),
            Map.entry("instance-restart", "instance.operate"),
            Map.entry("image-list", "image.read"),
            Map.entry("image-import", "image.import"),
            Map.entry("user-list", "user.read"),
            Map.entry("user-create", "user.write"),
            Map.entry("user-modify", "user.write"),
            Map.entry("user-delete", "user.write"),
            Map.entry("user-password", "account.self"),
            Map.entry("user-ssh-keys", "account.self"),
            Map.entry("group-list", "group.read"),
            Map.entry("group-create", "group.write"),
            Map.entry("group-modify", "group.write"),
            Map.entry("group-delete", "group.write"),
            Map.entry("role-list", "role.read"),
            Map.entry("role-create", "role.write"),
            Map.entry("role-delete", "role.write"),
            Map.entry("oplog", "oplog.read"),
            Map.entry("provider-list", "provider.read"),
            Map.entry("components", "provider.read"),
            Map.entry("provider-remove", "provider.write"),
            Map.entry("address-pool-list", "address.read"),
            Map.entry("address-pool-info", "address.read"),
            Map.entry("address-pool-create", "address.write"),
            Map.entry("address-pool-delete", "address.write"),
            Map.entry("address-pool-attach", "address.write"),
            Map.entry("address-pool-detach", "address.write"),
            Map.entry("address-pool-range-add", "address.write"),
            Map.entry("address-pool-range-remove", "address.write"),
            Map.entry("instance-address", "instance.write"),
            Map.entry("instance-disk-resize", "instance.write"),
            Map.entry("snapshot-list", "instance.read"),
            Map.entry("snapshot-create", "instance.operate"),
            Map.entry("snapshot-revert", "instance.operate"),
            Map.entry("snapshot-delete", "instance.operate"),
            Map.entry("instance-qos", "instance.write"),
            Map.entry("instance-password", "instance.operate"),
            Map.entry("instance-hostname", "instance.operate"),
            Map.entry("instance-reset-system", "instance.write"),
            Map.entry("batch", "instance.write"),
            Map.entry("instance-disk-add", "instance.write"),
            Map.entry("instance-disk-remove", "instance.write"),
            Map.entry("instance-disk-compact", "instance.write"),
            Map.entry("instance-media-insert", "instance.write"),
            Map.entry("instance-media-eject", "instance.write"),
            Map.entry("instance-boot-from", "instance.write"),
            Map.entry("image-capture", "image.write"),
            Map.entry("media-list", "image.read"),
            Map.entry("media-import", "image.import"),
            Map.entry("media-delete", "image.write"));

    private ShellPermissions() {
    }

    /** @return whether running the command changes state (and so is written to the operation log) */
    static boolean changesState(String permission) {
        return !permission.endsWith(".read");
    }
}
