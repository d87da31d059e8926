package io.skiff.core.internal.task;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResourceQueuesTest {

    @Test
    void aTaskStartsWhenItHeadsEveryQueueOfItsKeys() {
        ResourceQueues<String> queues = new ResourceQueues<>();
        assertTrue(queues.enqueue("A", Set.of("x")));
        assertTrue(queues.enqueue("B", Set.of("y")));
        assertFalse(queues.enqueue("C", Set.of("x", "y")), "waits for A and B");
        assertFalse(queues.enqueue("D", Set.of("y")), "waits behind C, though B may finish first");
        assertTrue(queues.enqueue("E", Set.of()), "no keys, no wait");

        assertEquals(List.of(), queues.release("A"), "C still waits for B");
        assertEquals(List.of("C"), queues.release("B"));
        assertEquals(List.of("D"), queues.release("C"));
        assertEquals(List.of(), queues.release("D"));
        assertEquals(List.of(), queues.release("E"));
        assertEquals(0, queues.size());
    }
}
