package io.skiff.core.internal.instance;

import io.skiff.api.state.StateChange;
import io.skiff.api.state.StateStore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ids of instances this Core once had and removed (deleted, or rolled back), journaled with the removal of their
 * record. Only what is tombstoned may be removed from a cell as an orphan: an instance this Core never knew (a cell
 * that joined with guests of its own, a Core that lost its state) is left alone. Instance ids are random UUIDs, never
 * reused; a tombstone is forgotten after {@code retention}.
 */
final class InstanceTombstones {
    static final String TYPE = "instance-tombstone";

    /** @param id the instance's id
     *  @param removedAt when its record was removed */
    record Tombstone(String id, Instant removedAt) {
    }

    private final StateStore store;
    private final Clock clock;
    private final Map<String, Instant> removed = new ConcurrentHashMap<>();

    InstanceTombstones(StateStore store, Clock clock, Duration retention) {
        this.store = store;
        this.clock = clock;
        Instant oldest = clock.instant().minus(retention);
        List<StateChange> expired = new ArrayList<>();
        for (Tombstone t : store.list(TYPE, Tombstone.class)) {
            if (t.removedAt() == null || t.removedAt().isBefore(oldest)) {
                expired.add(StateChange.delete(TYPE, t.id()));
            } else {
                removed.put(t.id(), t.removedAt());
            }
        }
        if (!expired.isEmpty()) {
            store.commit(expired);
        }
    }

    /** @return the change that tombstones an instance, to commit with the removal of its record */
    StateChange tombstone(String id) {
        Instant now = clock.instant();
        removed.put(id, now);
        return StateChange.put(TYPE, id, new Tombstone(id, now));
    }

    /** @return whether this Core had the instance and removed it */
    boolean contains(String id) {
        return removed.containsKey(id);
    }
}
