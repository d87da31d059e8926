package io.skiff.cell.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The domains the cell is stopping itself (a stop or delete the Core asked for): their stop is not the guest's doing,
 * so no restart policy applies to it. A mark lasts until the domain's stop is seen, or until it starts again.
 */
final class ExpectedStops {
    private final Set<String> stopping = ConcurrentHashMap.newKeySet();

    /** Marks a domain Skiff is about to stop. */
    void expect(String instanceId) {
        stopping.add(instanceId);
    }

    /** @return whether Skiff stopped it; the mark is used up */
    boolean take(String instanceId) {
        return stopping.remove(instanceId);
    }

    /** The domain started again: an old mark no longer applies. */
    void clear(String instanceId) {
        stopping.remove(instanceId);
    }
}
