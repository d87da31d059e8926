package io.skiff.core.internal.instance;

import io.skiff.api.model.ResourceUsage;
import io.skiff.api.service.InstanceService;
import io.skiff.api.service.Pager;
import io.skiff.api.service.Pager.Order;
import io.skiff.api.service.Pager.Position;

import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Function;

/**
 * The instance records kept sorted in every order a page may ask for ({@link InstanceService#ORDER}: name, creation
 * time, id), so that a page walks only its own items instead of sorting every record, and grouped by cell, owner and
 * group, with what each group uses in all ({@link ResourceUsage}: instances, cores, memory, disk), so that placing one
 * instance or checking a quota reads a sum, not the records. Every index holds the records themselves (each save puts
 * the new version in), so a walk reads no other map.
 * The sort keys are the ones {@link InstanceService#ORDER} gives an instance's status, so a cursor means the same to
 * both. Changed by {@link InstanceRecords} under its monitor; read by anyone, at any time (weakly consistent).
 */
final class InstanceIndexes {
    private static final Map<String, Function<InstanceRecord, String>> KEYS = Map.of(
            "name", r -> r.spec().name(),
            "createdAt", r -> Pager.instantKey(r.createdAt()),
            "id", InstanceRecord::id);

    private final Map<String, NavigableMap<Position, InstanceRecord>> byField = Map.of(
            "name", new ConcurrentSkipListMap<>(),
            "createdAt", new ConcurrentSkipListMap<>(),
            "id", new ConcurrentSkipListMap<>());

    /** a cell's records are read (its instances' names); an owner's and a group's only as sums (quotas) */
    private final Groups byCell = new Groups(InstanceRecord::cellId, true);
    private final Groups byOwner = new Groups(InstanceRecord::owner, false);
    private final Groups byGroup = new Groups(InstanceRecord::group, false);

    /** Puts a record into every order and group, in place of {@code before} (its last version, or {@code null}). */
    void replace(InstanceRecord before, InstanceRecord after) {
        byCell.replace(before, after);
        byOwner.replace(before, after);
        byGroup.replace(before, after);
        for (Map.Entry<String, Function<InstanceRecord, String>> key : KEYS.entrySet()) {
            NavigableMap<Position, InstanceRecord> index = byField.get(key.getKey());
            Position now = new Position(key.getValue().apply(after), after.id());
            if (before != null) {
                Position was = new Position(key.getValue().apply(before), before.id());
                if (!was.equals(now)) {
                    index.remove(was);
                }
            }
            index.put(now, after);
        }
    }

    /** Takes a removed record out of every order and group. */
    void remove(InstanceRecord r) {
        KEYS.forEach((field, key) -> byField.get(field).remove(new Position(key.apply(r), r.id())));
        byCell.replace(r, null);
        byOwner.replace(r, null);
        byGroup.replace(r, null);
    }

    /** @return the records of the instances placed on the cell */
    Collection<InstanceRecord> onCell(String cellId) {
        return byCell.records(cellId);
    }


    /** @return what the instances placed on the cell use in all */
    ResourceUsage usedOnCell(String cellId) {
        return byCell.usage(cellId);
    }

    /** @return what the user's instances use in all */
    ResourceUsage usedBy(String user) {
        return byOwner.usage(user);
    }

    /** @return what the group's instances use in all */
    ResourceUsage usedByGroup(String group) {
        return byGroup.usage(group);
    }

    /** @return the record of the instance with this name (names are unique), or {@code null} */
    InstanceRecord named(String name) {
        Map.Entry<Position, InstanceRecord> first = byField.get("name").ceilingEntry(new Position(name, ""));
        return first != null && first.getKey().key().equals(name) ? first.getValue() : null;
    }

    /**
     * @param order a sort {@link InstanceService#ORDER} knows
     * @param after where to start (exclusive), {@code null} for the beginning
     * @return the records in that order
     */
    Iterator<InstanceRecord> records(Order order, Position after) {
        NavigableMap<Position, InstanceRecord> index = byField.get(order.field());
        if (index == null) {
            throw new IllegalArgumentException("no instance order by " + order.field());
        }
        NavigableMap<Position, InstanceRecord> walk = order.descending() ? index.descendingMap() : index;
        if (after != null) {
            walk = walk.tailMap(after, false);
        }
        return walk.values().iterator();
    }

    /**
     * What each group of records ({@code null}: in no group) uses in all, and, when {@code keepRecords}, the records
     * themselves.
     */
    private static final class Groups {
        private final Function<InstanceRecord, String> part;
        private final boolean keepRecords;
        private final Map<String, Map<String, InstanceRecord>> records = new ConcurrentHashMap<>();
        private final Map<String, ResourceUsage> usage = new ConcurrentHashMap<>();

        Groups(Function<InstanceRecord, String> part, boolean keepRecords) {
            this.part = part;
            this.keepRecords = keepRecords;
        }

        void replace(InstanceRecord before, InstanceRecord after) {
            String was = before == null ? null : part.apply(before);
            String now = after == null ? null : part.apply(after);
            if (keepRecords) {
                replaceRecord(before, was, after, now);
            }
            // a reader never sees the instance counted nowhere: added to its new group before it leaves the old one,
            // and changed in one step where it stays
            ResourceUsage gone = before == null ? null : InstanceQuotas.usage(before.spec());
            ResourceUsage added = after == null ? null : InstanceQuotas.usage(after.spec());
            if (was != null && was.equals(now)) {
                if (!gone.equals(added)) {
                    usage.compute(now, (k, total) -> (total == null ? ResourceUsage.NONE : total).minus(gone)
                            .plus(added));
                }
                return;
            }
            if (now != null) {
                usage.merge(now, added, ResourceUsage::plus);
            }
            if (was != null) {
                usage.computeIfPresent(was, (k, total) -> total.instances() <= gone.instances() ? null
                        : total.minus(gone));
            }
        }

        private void replaceRecord(InstanceRecord before, String was, InstanceRecord after, String now) {
            if (was != null && !was.equals(now)) {
                records.computeIfPresent(was, (k, group) -> {
                    group.remove(before.id());
                    return group.isEmpty() ? null : group;
                });
            }
            if (now != null) {
                records.computeIfAbsent(now, k -> new ConcurrentHashMap<>()).put(after.id(), after);
            }
        }

        ResourceUsage usage(String key) {
            ResourceUsage found = key == null ? null : usage.get(key);
            return found == null ? ResourceUsage.NONE : found;
        }

        Collection<InstanceRecord> records(String key) {
            Map<String, InstanceRecord> found = key == null ? null : records.get(key);
            return found == null ? List.of() : Collections.unmodifiableCollection(found.values());
        }
    }
}
