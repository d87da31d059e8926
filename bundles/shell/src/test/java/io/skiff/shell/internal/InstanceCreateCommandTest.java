package io.skiff.shell.internal;

import io.skiff.api.model.InstanceSpec;
import io.skiff.api.model.TaskInfo;
import io.skiff.api.model.TaskState;
import io.skiff.api.service.InstanceService;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** {@code skiff:instance-create} passes on what was given and leaves the rest to the Core's defaults. */
class InstanceCreateCommandTest {

    private final List<InstanceSpec> created = new ArrayList<>();

    /** The Core's instance service, taking creates. */
    private final InstanceService instances = (InstanceService) Proxy.newProxyInstance(
            InstanceService.class.getClassLoader(), new Class<?>[] {InstanceService.class}, (proxy, method, args) -> {
                if (!method.getName().equals("create")) {
                    throw new UnsupportedOperationException(method.getName());
                }
                created.add((InstanceSpec) args[0]);
                return new TaskInfo("t-1", "instance.create", List.of(), "console", TaskState.QUEUED, 0, null, null,
                        List.of(), Instant.now(), null, null);
            });

    private static void set(Object command, String field, Object value) throws ReflectiveOperationException {
        Field f = command.getClass().getDeclaredField(field);
        f.setAccessible(true);
        f.set(command, value);
    }

    private InstanceSpec create(Integer cores, Long memoryMib) throws Exception {
        InstanceCreateCommand command = new InstanceCreateCommand();
        set(command, "instances", instances);
        set(command, "pool", "vms");
        set(command, "name", "web-1");
        set(command, "disksGib", List.of(1L));
        set(command, "cores", cores);
        set(command, "memoryMib", memoryMib);
        command.execute();
        return created.get(created.size() - 1);
    }

    @Test
    void optionsNotGivenAreLeftToTheCore() throws Exception {
        InstanceSpec spec = create(null, null);
        assertNull(spec.cores());
        assertNull(spec.memoryBytes());
        assertNull(spec.profile());
    }

    @Test
    void optionsGivenArePassedOn() throws Exception {
        InstanceSpec spec = create(2, 1024L);
        assertEquals(2, spec.cores());
        assertEquals(1024L << 20, spec.memoryBytes());
    }
}
