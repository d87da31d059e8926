package io.skiff.rest.internal;

import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.Permissions;
import io.skiff.api.service.RequiresPermission;
import org.junit.jupiter.api.Test;

import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every REST operation declares either the permission it needs or that it is public, and the built-in
 * roles grant exactly what the table below says.
 */
class PermissionTableTest {
    static final List<Class<?>> RESOURCES = List.of(BatchResource.class, HealthResource.class, OpenApiResource.class, PoolResource.class,
            CellResource.class, TaskResource.class, SessionResource.class, InstanceResource.class,
            ImageResource.class, StoragePoolResource.class, ProviderResource.class, ComponentResource.class,
            ProfileResource.class, AddressPoolResource.class, MediaResource.class, UserResource.class,
            GroupResource.class, RoleResource.class, PermissionResource.class, OperationLogResource.class,
            InstanceDefaultsResource.class);

    /** operation → permission ("public" when no credentials are needed). */
    static final Map<String, String> EXPECTED = new TreeMap<>(Map.ofEntries(
            Map.entry("HealthResource.health", "public"),
            Map.entry("OpenApiResource.document", "public"),
            Map.entry("SessionResource.create", "public"),
            Map.entry("SessionResource.delete", "session.delete"),
            Map.entry("PoolResource.list", "pool.read"),
            Map.entry("PoolResource.get", "pool.read"),
            Map.entry("PoolResource.create", "pool.write"),
            Map.entry("PoolResource.update", "pool.write"),
            Map.entry("PoolResource.delete", "pool.write"),
            Map.entry("CellResource.list", "cell.read"),
            Map.entry("CellResource.get", "cell.read"),
            Map.entry("CellResource.addToPool", "cell.write"),
            Map.entry("CellResource.removeFromPool", "cell.write"),
            Map.entry("CellResource.enable", "cell.write"),
            Map.entry("CellResource.disable", "cell.write"),
            Map.entry("CellResource.evacuate", "instance.migrate"),
            Map.entry("CellResource.forget", "cell.write"),
            Map.entry("TaskResource.list", "task.read"),
            Map.entry("TaskResource.get", "task.read"),
            Map.entry("TaskResource.retryRollback", "task.rollback"),
            Map.entry("InstanceResource.list", "instance.read"),
            Map.entry("InstanceResource.get", "instance.read"),
            Map.entry("InstanceResource.consoleLog", "instance.read"),
            Map.entry("InstanceResource.events", "instance.read"),
            Map.entry("InstanceResource.openConsole", "instance.console"),
            Map.entry("ProfileResource.list", "instance.read"),
            Map.entry("InstanceResource.vnc", "instance.vnc"),
            Map.entry("InstanceResource.create", "instance.write"),
            Map.entry("InstanceDefaultsResource.get", "instance.read"),
            Map.entry("InstanceResource.modify", "instance.write"),
            Map.entry("InstanceResource.migrate", "instance.migrate"),
            Map.entry("InstanceResource.delete", "instance.write"),
            Map.entry("InstanceResource.start", "instance.operate"),
            Map.entry("InstanceResource.stop", "instance.operate"),
            Map.entry("InstanceResource.restart", "instance.operate"),
            Map.entry("InstanceResource.resizeDisk", "instance.write"),
            Map.entry("InstanceResource.snapshots", "instance.read"),
            Map.entry("InstanceResource.createSnapshot", "instance.operate"),
            Map.entry("InstanceResource.revertSnapshot", "instance.operate"),
            Map.entry("InstanceResource.deleteSnapshot", "instance.operate"),
            Map.entry("InstanceResource.setQos", "instance.write"),
            Map.entry("BatchResource.create", "instance.write"),
            Map.entry("BatchResource.get", "task.read"),
            Map.entry("InstanceResource.resetPassword", "instance.operate"),
            Map.entry("InstanceResource.changeHostname", "instance.operate"),
            Map.entry("InstanceResource.resetSystem", "instance.write"),
            Map.entry("InstanceResource.addDisk", "instance.write"),
            Map.entry("InstanceResource.removeDisk", "instance.write"),
            Map.entry("InstanceResource.compactDisk", "instance.write"),
            Map.entry("ImageResource.list", "image.read"),
            Map.entry("ImageResource.get", "image.read"),
            Map.entry("ImageResource.importFile", "image.import"),
            Map.entry("ImageResource.delete", "image.write"),
            Map.entry("ImageResource.content", "public"),
            Map.entry("ImageResource.upload", "image.write"),
            Map.entry("ImageResource.receiveCapture", "public"),
            Map.entry("InstanceResource.captureImage", "image.write"),
            Map.entry("MediaResource.list", "image.read"),
            Map.entry("MediaResource.get", "image.read"),
            Map.entry("MediaResource.content", "public"),
            Map.entry("InstanceResource.insertMedia", "instance.write"),
            Map.entry("InstanceResource.ejectMedia", "instance.write"),
            Map.entry("InstanceResource.setBootFrom", "instance.write"),
            Map.entry("InstanceResource.setLabels", "instance.write"),
            Map.entry("MediaResource.upload", "image.write"),
            Map.entry("MediaResource.delete", "image.write"),
            Map.entry("StoragePoolResource.list", "storage.read"),
            Map.entry("StoragePoolResource.get", "storage.read"),
            Map.entry("StoragePoolResource.create", "storage.manage"),
            Map.entry("StoragePoolResource.delete", "storage.manage"),
            Map.entry("StoragePoolResource.attach", "storage.manage"),
            Map.entry("StoragePoolResource.detach", "storage.manage"),
            Map.entry("CellResource.storagePools", "storage.read"),
            Map.entry("InstanceResource.rebindAddress", "instance.write"),
            Map.entry("AddressPoolResource.list", "address.read"),
            Map.entry("AddressPoolResource.get", "address.read"),
            Map.entry("AddressPoolResource.create", "address.write"),
            Map.entry("AddressPoolResource.update", "address.write"),
            Map.entry("AddressPoolResource.delete", "address.write"),
            Map.entry("AddressPoolResource.ranges", "address.read"),
            Map.entry("AddressPoolResource.addRange", "address.write"),
            Map.entry("AddressPoolResource.removeRange", "address.write"),
            Map.entry("AddressPoolResource.attach", "address.write"),
            Map.entry("AddressPoolResource.detach", "address.write"),
            Map.entry("AddressPoolResource.bindings", "address.read"),
            Map.entry("AddressPoolResource.rebind", "address.write"),
            Map.entry("CellResource.capabilities", "cell.read"),
            Map.entry("ProviderResource.list", "provider.read"),
            Map.entry("ComponentResource.list", "provider.read"),
            Map.entry("UserResource.list", "user.read"),
            Map.entry("UserResource.get", "user.read"),
            Map.entry("UserResource.create", "user.write"),
            Map.entry("UserResource.update", "user.write"),
            Map.entry("UserResource.delete", "user.write"),
            Map.entry("UserResource.password", "account.self"),
            Map.entry("UserResource.sshKeys", "account.self"),
            Map.entry("UserResource.setSshKeys", "account.self"),
            Map.entry("GroupResource.list", "group.read"),
            Map.entry("GroupResource.get", "group.read"),
            Map.entry("GroupResource.create", "group.write"),
            Map.entry("GroupResource.update", "group.write"),
            Map.entry("GroupResource.delete", "group.write"),
            Map.entry("RoleResource.list", "role.read"),
            Map.entry("RoleResource.get", "role.read"),
            Map.entry("RoleResource.create", "role.write"),
            Map.entry("RoleResource.update", "role.write"),
            Map.entry("RoleResource.delete", "role.write"),
            Map.entry("PermissionResource.list", "role.read"),
            Map.entry("OperationLogResource.query", "oplog.read")));

    /**
     * operation → which built-in roles may call it: A admin, O operator, U user ("-" for none but admin is
     * impossible: admin holds everything). Public operations need no role.
     */
    static final Map<String, String> ROLES = new TreeMap<>(Map.ofEntries(
            Map.entry("SessionResource.delete", "AOU"),
            Map.entry("PoolResource.list", "AOU"),
            Map.entry("PoolResource.get", "AOU"),
            Map.entry("PoolResource.create", "AO"),
            Map.entry("PoolResource.update", "AO"),
            Map.entry("PoolResource.delete", "AO"),
            Map.entry("CellResource.list", "AO"),
            Map.entry("CellResource.get", "AO"),
            Map.entry("CellResource.capabilities", "AO"),
            Map.entry("CellResource.addToPool", "AO"),
            Map.entry("CellResource.removeFromPool", "AO"),
            Map.entry("CellResource.enable", "AO"),
            Map.entry("CellResource.disable", "AO"),
            Map.entry("CellResource.evacuate", "AO"),
            Map.entry("CellResource.forget", "AO"),
            Map.entry("TaskResource.list", "AOU"),
            Map.entry("TaskResource.get", "AOU"),
            Map.entry("TaskResource.retryRollback", "AO"),
            Map.entry("InstanceResource.list", "AOU"),
            Map.entry("InstanceResource.get", "AOU"),
            Map.entry("InstanceResource.consoleLog", "AOU"),
            Map.entry("InstanceResource.events", "AOU"),
            Map.entry("InstanceResource.openConsole", "AOU"),
            Map.entry("InstanceResource.vnc", "AU"),
            Map.entry("ProfileResource.list", "AOU"),
            Map.entry("InstanceResource.resizeDisk", "AOU"),
            Map.entry("InstanceResource.snapshots", "AOU"),
            Map.entry("InstanceResource.createSnapshot", "AOU"),
            Map.entry("InstanceResource.revertSnapshot", "AOU"),
            Map.entry("InstanceResource.deleteSnapshot", "AOU"),
            Map.entry("InstanceResource.setQos", "AOU"),
            Map.entry("InstanceResource.resetPassword", "AOU"),
            Map.entry("InstanceResource.changeHostname", "AOU"),
            Map.entry("InstanceResource.resetSystem", "AOU"),
            Map.entry("BatchResource.create", "AOU"),
            Map.entry("BatchResource.get", "AOU"),
            Map.entry("InstanceResource.addDisk", "AOU"),
            Map.entry("InstanceResource.removeDisk", "AOU"),
            Map.entry("InstanceResource.compactDisk", "AOU"),
            Map.entry("ImageResource.upload", "AOU"),
            Map.entry("InstanceResource.captureImage", "AOU"),
            Map.entry("MediaResource.list", "AOU"),
            Map.entry("MediaResource.get", "AOU"),
            Map.entry("InstanceResource.insertMedia", "AOU"),
            Map.entry("InstanceResource.ejectMedia", "AOU"),
            Map.entry("InstanceResource.setBootFrom", "AOU"),
            Map.entry("InstanceResource.setLabels", "AOU"),
            Map.entry("MediaResource.upload", "AOU"),
            Map.entry("MediaResource.delete", "AOU"),
            Map.entry("InstanceResource.rebindAddress", "AOU"),
            Map.entry("AddressPoolResource.list", "AO"),
            Map.entry("AddressPoolResource.get", "AO"),
            Map.entry("AddressPoolResource.create", "AO"),
            Map.entry("AddressPoolResource.update", "AO"),
            Map.entry("AddressPoolResource.delete", "AO"),
            Map.entry("AddressPoolResource.ranges", "AO"),
            Map.entry("AddressPoolResource.addRange", "AO"),
            Map.entry("AddressPoolResource.removeRange", "AO"),
            Map.entry("AddressPoolResource.attach", "AO"),
            Map.entry("AddressPoolResource.detach", "AO"),
            Map.entry("AddressPoolResource.bindings", "AO"),
            Map.entry("AddressPoolResource.rebind", "AO"),
            Map.entry("InstanceResource.create", "AOU"),
            Map.entry("InstanceDefaultsResource.get", "AOU"),
            Map.entry("InstanceResource.modify", "AOU"),
            Map.entry("InstanceResource.migrate", "AO"),
            Map.entry("InstanceResource.delete", "AOU"),
            Map.entry("InstanceResource.start", "AOU"),
            Map.entry("InstanceResource.stop", "AOU"),
            Map.entry("InstanceResource.restart", "AOU"),
            Map.entry("ImageResource.list", "AOU"),
            Map.entry("ImageResource.get", "AOU"),
            Map.entry("ImageResource.importFile", "AO"),
            Map.entry("ImageResource.delete", "AOU"),
            Map.entry("StoragePoolResource.list", "AO"),
            Map.entry("StoragePoolResource.get", "AO"),
            Map.entry("StoragePoolResource.create", "AO"),
            Map.entry("StoragePoolResource.delete", "AO"),
            Map.entry("StoragePoolResource.attach", "AO"),
            Map.entry("StoragePoolResource.detach", "AO"),
            Map.entry("CellResource.storagePools", "AO"),
            Map.entry("ProviderResource.list", "AO"),
            Map.entry("ComponentResource.list", "AO"),
            Map.entry("UserResource.list", "AO"),
            Map.entry("UserResource.get", "AO"),
            Map.entry("UserResource.create", "A"),
            Map.entry("UserResource.update", "A"),
            Map.entry("UserResource.delete", "A"),
            Map.entry("UserResource.password", "AOU"),
            Map.entry("UserResource.sshKeys", "AOU"),
            Map.entry("UserResource.setSshKeys", "AOU"),
            Map.entry("GroupResource.list", "AO"),
            Map.entry("GroupResource.get", "AO"),
            Map.entry("GroupResource.create", "A"),
            Map.entry("GroupResource.update", "A"),
            Map.entry("GroupResource.delete", "A"),
            Map.entry("RoleResource.list", "AO"),
            Map.entry("RoleResource.get", "AO"),
            Map.entry("RoleResource.create", "A"),
            Map.entry("RoleResource.update", "A"),
            Map.entry("RoleResource.delete", "A"),
            Map.entry("PermissionResource.list", "AO"),
            Map.entry("OperationLogResource.query", "AO")));

    static Map<String, String> declared() {
        Map<String, String> found = new TreeMap<>();
        for (Class<?> resource : RESOURCES) {
            for (Method m : resource.getDeclaredMethods()) {
                if (!(m.isAnnotationPresent(GET.class) || m.isAnnotationPresent(POST.class)
                        || m.isAnnotationPresent(PUT.class) || m.isAnnotationPresent(DELETE.class))) {
                    continue;
                }
                boolean open = m.isAnnotationPresent(PublicAccess.class)
                        || resource.isAnnotationPresent(PublicAccess.class);
                RequiresPermission p = m.getAnnotation(RequiresPermission.class);
                found.put(resource.getSimpleName() + "." + m.getName(),
                        open ? "public" : p == null ? "MISSING" : p.value());
            }
        }
        return found;
    }

    @Test
    void everyOperationDeclaresItsPermission() {
        assertEquals(EXPECTED, declared());
    }

    @Test
    void builtInRolesGrantTheTable() {
        Map<Character, AuthenticatedUser> roles = Map.of(
                'A', new AuthenticatedUser("a", Set.of("admin"), "admin", Set.of(Permissions.ALL)),
                'O', new AuthenticatedUser("o", Set.of("operator"), "ops", Permissions.OPERATOR),
                'U', new AuthenticatedUser("u", Set.of("user"), "users", Permissions.USER));
        AuthenticatedUser nobody = new AuthenticatedUser("n", Set.of(), "users", Set.of());
        List<String> checked = new ArrayList<>();
        for (Map.Entry<String, String> op : EXPECTED.entrySet()) {
            if (op.getValue().equals("public")) {
                continue;
            }
            String allowed = ROLES.get(op.getKey());
            assertTrue(allowed != null, "no role row for " + op.getKey());
            for (Map.Entry<Character, AuthenticatedUser> role : roles.entrySet()) {
                assertEquals(allowed.indexOf(role.getKey()) >= 0, role.getValue().hasPermission(op.getValue()),
                        role.getValue().roles() + " on " + op.getKey() + " (" + op.getValue() + ")");
            }
            assertFalse(nobody.hasPermission(op.getValue()), "no role: " + op.getKey());
            checked.add(op.getKey());
        }
        assertEquals(ROLES.keySet(), Set.copyOf(checked));
    }

    @Test
    void everyPermissionIsInTheCatalogue() {
        for (String p : EXPECTED.values()) {
            if (!p.equals("public")) {
                assertTrue(Permissions.CATALOG.containsKey(p), p);
            }
        }
        assertTrue(Permissions.CATALOG.keySet().containsAll(Permissions.OPERATOR));
        assertTrue(Permissions.CATALOG.keySet().containsAll(Permissions.USER));
    }
}
