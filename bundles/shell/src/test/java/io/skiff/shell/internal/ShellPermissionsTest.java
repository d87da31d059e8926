package io.skiff.shell.internal;

import io.skiff.api.service.Permissions;
import org.apache.karaf.shell.api.action.Command;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every {@code skiff:} command names the permission it needs, and that permission exists. */
class ShellPermissionsTest {

    @Test
    void everyCommandDeclaresAKnownPermission() throws Exception {
        Set<String> commands = new TreeSet<>();
        for (Class<?> c : commandClasses()) {
            Command command = c.getAnnotation(Command.class);
            if (command != null) {
                commands.add(command.name());
            }
        }
        assertTrue(commands.size() > 20, commands.toString());
        assertEquals(commands, new TreeSet<>(ShellPermissions.BY_COMMAND.keySet()));
        for (String p : ShellPermissions.BY_COMMAND.values()) {
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
