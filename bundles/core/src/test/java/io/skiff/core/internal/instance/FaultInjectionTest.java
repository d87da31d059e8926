package io.skiff.core.internal.instance;

import io.skiff.api.service.SkiffException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The test-only fault injection: nothing without its settings; one step kind, of every instance or of one. */
class FaultInjectionTest {

    @Test
    void withoutSettingsNothingIsInjected() {
        FaultInjection.from(null).check("cell.define", "vm-1");
        FaultInjection.from(Map.of("placementPolicy", "pack")).check("cell.define", "vm-1");
        FaultInjection.from(Map.of("failStep", "")).check("cell.define", "vm-1");
    }

    @Test
    void oneKindFailsForEveryInstanceOrForOne() {
        FaultInjection every = FaultInjection.from(Map.of("failStep", "cell.define"));
        SkiffException e = assertThrows(SkiffException.class, () -> every.check("cell.define", "vm-1"));
        assertEquals("injected", e.code());
        assertEquals("failure injected in step cell.define (test setting failStep)", e.getMessage());
        every.check("cell.start", "vm-1");

        FaultInjection one = FaultInjection.from(Map.of("failStep", "cell.define", "failInstance", "bt-3"));
        one.check("cell.define", "bt-2");
        one.check("cell.define"); // a step that does not name its instance
        assertThrows(SkiffException.class, () -> one.check("cell.define", "bt-3"));
    }
}
