package io.skiff.core.internal.instance;

import io.skiff.api.service.InstanceService;
import io.skiff.api.service.Pager;
import io.skiff.api.service.Pager.Order;
import io.skiff.api.service.Pager.Position;

import java.util.Iterator;
import java.util.Map;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.function.Function;

/**
 * The instance records' ids kept sorted in every order a page may ask for ({@link InstanceService#ORDER}: name,
 * creation time, id), so that a page walks only its own items instead of sorting every record. The keys are the ones
 * {@link InstanceService#ORDER} gives an instance's status, so a cursor means the same to both. Changed by
 * {@link InstanceRecords} under its monitor; read by anyone, at any time (weakly consistent iteration).
 */
final class InstanceIndexes {
    private static final Map<String, Function<InstanceRecord, String>> KEYS = Map.of(
            "name", r -> r.spec().name(),
            "createdAt", r -> Pager.instantKey(r.createdAt()),
            "id", InstanceRecord::id);

    private final Map<String, NavigableSet<Position>> byField = Map.of(
            "name", new ConcurrentSkipListSet<>(),
            "createdAt", new ConcurrentSkipListSet<>(),
            "id", new ConcurrentSkipListSet<>());

    /** Puts a record into every order, in place of {@code before} (its last version, or {@code null}). */
    void replace(InstanceRecord before, InstanceRecord after) {
        for (Map.Entry<String, Function<InstanceRecord, String>> key : KEYS.entrySet()) {
            NavigableSet<Position> index = byField.get(key.getKey());
            Position now = new Position(key.getValue().apply(after), after.id());
            if (before != null) {
                Position was = new Position(key.getValue().apply(before), before.id());
                if (was.equals(now)) {
                    continue;
                }
                index.remove(was);
            }
            index.add(now);
        }
    }

    /** Takes a removed record out of every order. */
    void remove(InstanceRecord r) {
        KEYS.forEach((field, key) -> byField.get(field).remove(new Position(key.apply(r), r.id())));
    }

    /**
     * @param order a sort {@link InstanceService#ORDER} knows
     * @param after where to start (exclusive), {@code null} for the beginning
     * @return the ids in that order
     */
    Iterator<String> ids(Order order, Position after) {
        NavigableSet<Position> index = byField.get(order.field());
        if (index == null) {
            throw new IllegalArgumentException("no instance order by " + order.field());
        }
        NavigableSet<Position> walk = order.descending() ? index.descendingSet() : index;
        if (after != null) {
            walk = walk.tailSet(after, false);
        }
        Iterator<Position> positions = walk.iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return positions.hasNext();
            }

            @Override
            public String next() {
                return positions.next().id();
            }
        };
    }
}
