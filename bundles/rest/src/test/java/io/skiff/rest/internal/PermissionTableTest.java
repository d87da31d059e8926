package io.skiff.rest.internal;

import io.skiff.api.service.AuthenticatedUser;
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
    static final List<Class<?>> RESOURCES = List.of(HealthResource.class, OpenApiResource.class, PoolResource.class,
            CellResource.class, TaskResource.class, SessionResource.class, InstanceResource.class,
            ImageResource.class, StoragePoolResource.class, ProviderResource.class, ComponentResource.class,
            ProfileResource.class, AddressPoolResource.class, MediaResource.class);

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
            Map.entry("CellResource.forget", "cell.write"),
            Map.entry("TaskResource.list", "task.read"),
            Map.entry("TaskResource.get", "task.read"),
            Map.entry("InstanceResource.list", "instance.read"),
            Map.entry("InstanceResource.get", "instance.read"),
            Map.entry("InstanceResource.consoleLog", "instance.read"),
            Map.entry("InstanceResource.openConsole", "instance.console"),
            Map.entry("ProfileResource.list", "instance.read"),
            Map.entry("InstanceResource.vnc", "instance.vnc"),
            Map.entry("InstanceResource.create", "instance.write"),
            Map.entry("InstanceResource.modify", "instance.write"),
            Map.entry("InstanceResource.delete", "instance.write"),
            Map.entry("InstanceResource.start", "instance.operate"),
            Map.entry("InstanceResource.stop", "instance.operate"),
            Map.entry("InstanceResource.restart", "instance.operate"),
            Map.entry("InstanceResource.resizeDisk", "instance.write"),
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
            Map.entry("MediaResource.content", "image.read"),
            Map.entry("MediaResource.upload", "image.write"),
            Map.entry("MediaResource.delete", "image.write"),
            Map.entry("StoragePoolResource.list", "storage.read"),
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
            Map.entry("ComponentResource.list", "provider.read")));

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
                Permission p = m.getAnnotation(Permission.class);
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
        AuthenticatedUser admin = new AuthenticatedUser("a", Set.of("admin"));
        AuthenticatedUser viewer = new AuthenticatedUser("v", Set.of("viewer"));
        AuthenticatedUser nobody = new AuthenticatedUser("n", Set.of());
        List<String> checked = new ArrayList<>();
        for (String permission : EXPECTED.values()) {
            if (permission.equals("public")) {
                continue;
            }
            assertTrue(Permissions.allows(admin, permission), "admin: " + permission);
            boolean read = permission.endsWith(".read") || permission.startsWith("session.");
            assertEquals(read, Permissions.allows(viewer, permission), "viewer: " + permission);
            assertEquals(permission.startsWith("session."), Permissions.allows(nobody, permission),
                    "no role: " + permission);
            checked.add(permission);
        }
        assertFalse(checked.isEmpty());
    }
}
