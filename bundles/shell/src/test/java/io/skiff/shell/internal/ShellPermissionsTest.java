package io.skiff.shell.internal;

import io.skiff.api.service.Permissions;
import io.skiff.api.service.RequiresPermission;
import org.apache.karaf.shell.api.action.Command;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every {@code skiff:} command names the permission it needs ({@link RequiresPermission} on its class), that
 * permission exists, and the commands need exactly what the table below says: the same names as the REST
 * operations doing the same thing.
 */
class ShellPermissionsTest {

    /** command → permission. */
    static final Map<String, String> EXPECTED = Map.ofEntries(
            Map.entry("pool-list", "pool.read"),
            Map.entry("pool-update", "pool.write"),
            Map.entry("pool-info", "pool.read"),
            Map.entry("pool-create", "pool.write"),
            Map.entry("pool-delete", "pool.write"),
            Map.entry("cell-list", "cell.read"),
            Map.entry("cell-add", "cell.write"),
            Map.entry("cell-remove", "cell.write"),
            Map.entry("cell-enable", "cell.write"),
            Map.entry("cell-disable", "cell.write"),
            Map.entry("cell-evacuate", "instance.migrate"),
            Map.entry("task-list", "task.read"),
            Map.entry("task-info", "task.read"),
            Map.entry("task-rollback", "task.rollback"),
            Map.entry("instance-list", "instance.read"),
            Map.entry("instance-info", "instance.read"),
            Map.entry("instance-label", "instance.write"),
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
            Map.entry("metrics", "metrics.read"),
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
            Map.entry("instance-migrate", "instance.migrate"),
            Map.entry("instance-media-eject", "instance.write"),
            Map.entry("instance-boot-from", "instance.write"),
            Map.entry("instance-restart-policy", "instance.write"),
            Map.entry("instance-events", "instance.read"),
            Map.entry("image-capture", "image.write"),
            Map.entry("media-list", "image.read"),
            Map.entry("media-import", "image.import"),
            Map.entry("media-delete", "image.write"),
            Map.entry("storage-pool-list", "storage.read"),
            Map.entry("storage-pool-create", "storage.manage"),
            Map.entry("storage-pool-delete", "storage.manage"),
            Map.entry("storage-pool-attach", "storage.manage"),
            Map.entry("storage-pool-detach", "storage.manage"));

    @Test
    void everyCommandDeclaresAKnownPermission() throws Exception {
        Map<String, String> declared = new TreeMap<>();
        for (Class<?> c : commandClasses()) {
            Command command = c.getAnnotation(Command.class);
            if (command != null) {
                RequiresPermission p = c.getAnnotation(RequiresPermission.class);
                declared.put(command.name(), p == null ? "MISSING" : p.value());
            }
        }
        assertTrue(declared.size() > 20, declared.toString());
        assertEquals(new TreeMap<>(EXPECTED), declared);
        for (String p : declared.values()) {
            assertTrue(Permissions.CATALOG.containsKey(p), p);
        }
    }

    private static List<Class<?>> commandClasses() throws IOException {
        Path dir = Path.of("target/classes/io/skiff/shell/internal");
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith("Command.class"))
                    .<Class<?>>map(n -> {
                        try {
                            return Class.forName("io.skiff.shell.internal." + n.replace(".class", ""));
                        } catch (ClassNotFoundException e) {
                            throw new IllegalStateException(e);
                        }
                    }).toList();
        }
    }
}
