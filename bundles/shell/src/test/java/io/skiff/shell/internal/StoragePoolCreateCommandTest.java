package io.skiff.shell.internal;

import io.skiff.api.model.StoragePool;
import io.skiff.api.service.SkiffException;
import io.skiff.api.service.StoragePoolService;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@code skiff:storage-pool-create} passes on the settings its options name (the Core fills in the rest and names what
 * it refuses), and a pool whose attachment is refused is deleted again.
 */
class StoragePoolCreateCommandTest {

    private final List<String> calls = new ArrayList<>();
    private final List<Map<String, String>> settings = new ArrayList<>();

    /** The Core's storage pool service: creates, and refuses to attach to compute pool {@code busy}. */
    @SuppressWarnings("unchecked")
    private final StoragePoolService pools = (StoragePoolService) Proxy.newProxyInstance(
            StoragePoolService.class.getClassLoader(), new Class<?>[] {StoragePoolService.class},
            (proxy, method, args) -> {
                calls.add(method.getName() + " " + args[0] + (method.getName().equals("attach") ? " " + args[1] : ""));
                return switch (method.getName()) {
                    case "create" -> {
                        settings.add((Map<String, String>) args[2]);
                        yield new StoragePool((String) args[0], (String) args[0], (String) args[1],
                                (Map<String, String>) args[2], 0, 0);
                    }
                    case "attach" -> {
                        if ("busy".equals(args[1])) {
                            throw SkiffException.conflict("computePool", "compute pool 'busy' uses another one");
                        }
                        yield null;
                    }
                    case "delete" -> null;
                    default -> throw new UnsupportedOperationException(method.getName());
                };
            });

    private static void set(Object command, String field, Object value) throws ReflectiveOperationException {
        Field f = command.getClass().getDeclaredField(field);
        f.setAccessible(true);
        f.set(command, value);
    }

    private StoragePoolCreateCommand command(String attach) throws Exception {
        StoragePoolCreateCommand command = new StoragePoolCreateCommand();
        set(command, "pools", pools);
        set(command, "name", "shared");
        set(command, "type", "nfs");
        set(command, "server", "10.0.0.5");
        set(command, "export", "/export");
        set(command, "attach", attach);
        return command;
    }

    @Test
    void optionsGivenArePassedOnTheOthersLeftToTheCore() throws Exception {
        command("prod").execute();
        assertEquals(List.of(Map.of("server", "10.0.0.5", "export", "/export")), settings);
        assertEquals(List.of("create shared", "attach shared prod"), calls);
    }

    @Test
    void aRefusedAttachmentLeavesNoPool() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> command("busy").execute());
        assertEquals("compute pool 'busy' uses another one [computePool]", e.getMessage());
        assertEquals(List.of("create shared", "attach shared busy", "delete shared"), calls);
    }
}
