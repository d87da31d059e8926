package io.skiff.core.internal.instance;

import io.skiff.api.service.InstanceService;
import io.skiff.api.service.Pager;
import io.skiff.api.service.Pager.Order;
import io.skiff.api.service.Pager.Position;

import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.function.Function;

/**
 * The instance records' ids kept sorted in every order a page may ask for ({@link InstanceService#ORDER}: name,
 * creation time, id), so that a page walks only its own items instead of sorting every record, and grouped by cell,
 * owner and group, so that placing one instance or checking a quota reads the records it counts, not all of them.
 * The sort keys are the ones {@link InstanceService#ORDER} gives an instance's status, so a cursor means the same to
 * both. Changed by {@link InstanceRecords} under its monitor; read by anyone, at any time (weakly consistent).
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

    private final Groups byCell = new Groups(InstanceRecord::cellId);
    private final Groups byOwner = new Groups(InstanceRecord::owner);
    private final Groups byGroup = new Groups(InstanceRecord::group);

    /** Puts a record into every order and group, in place of {@code before} (its last version, or {@code null}). */
    void replace(InstanceRecord before, InstanceRecord after) {
        byCell.replace(before, after);
        byOwner.replace(before, after);
        byGroup.replace(before, after);
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

    /** Takes a removed record out of every order and group. */
    void remove(InstanceRecord r) {
        KEYS.forEach((field, key) -> byField.get(field).remove(new Position(key.apply(r), r.id())));
        byCell.replace(r, null);
        byOwner.replace(r, null);
        byGroup.replace(r, null);
    }

    /** @return the ids of the instances placed on the cell */
    Set<String> onCell(String cellId) {
        return byCell.ids(cellId);
    }

    /** @return the ids of the user's instances */
    Set<String> ownedBy(String user) {
        return byOwner.ids(user);
    }

    /** @return the ids of the group's instances */
    Set<String> inGroup(String group) {
        return byGroup.ids(group);
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

    /** Ids by one of the record's parts ({@code null}: in no group). */
    private static final class Groups {
        private final Function<InstanceRecord, String> part;
        private final Map<String, Set<String>> ids = new ConcurrentHashMap<>();

        Groups(Function<InstanceRecord, String> part) {
            this.part = part;
        }

        void replace(InstanceRecord before, InstanceRecord after) {
            String was = before == null ? null : part.apply(before);
            String now = after == null ? null : part.apply(after);
            if (was != null && !was.equals(now)) {
                ids.computeIfPresent(was, (k, set) -> {
                    set.remove(before.id());
                    return set.isEmpty() ? null : set;
                });
            }
            if (now != null) {
                ids.computeIfAbsent(now, k -> ConcurrentHashMap.newKeySet()).add(after.id());
            }
        }

        Set<String> ids(String key) {
            Set<String> found = key == null ? null : ids.get(key);
            return found == null ? Set.of() : Collections.unmodifiableSet(found);
        }
    }
}
