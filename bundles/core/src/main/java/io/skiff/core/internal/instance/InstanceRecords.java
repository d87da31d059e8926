package io.skiff.core.internal.instance;

import io.skiff.api.model.InstanceSpec;
import io.skiff.api.model.InstanceState;
import io.skiff.api.model.ResourceUsage;
import io.skiff.api.service.InstanceService;
import io.skiff.api.service.Pager;
import io.skiff.api.service.SkiffException;
import io.skiff.api.state.StateChange;
import io.skiff.api.state.StateStore;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The instance records, as journaled in the {@link StateStore} (type {@value InstanceRecord#TYPE}), and the only class
 * that writes them: every change is journaled first and then made visible in memory. Removing a record journals the
 * instance's tombstone in the same commit (see {@link OrphanSweeper}). Reading is free for everyone; the rules about
 * which records an operation may act on ({@link #settled}) live here too, so that every capability applies the same.
 */
final class InstanceRecords {
    /** How long a removed instance's tombstone is kept. */
    static final Duration TOMBSTONE_RETENTION = Duration.ofDays(30);

    private final StateStore store;
    private final Clock clock;
    private final InstanceTombstones tombstones;
    private final Map<String, InstanceRecord> byId = new ConcurrentHashMap<>();
    /** The records in every order a page may ask for (by name: also the lookup by name). Changed under this monitor. */
    private final InstanceIndexes indexes = new InstanceIndexes();
    private final List<Consumer<String>> removalListeners = new CopyOnWriteArrayList<>();

    /** Loads the records (and tombstones) the store holds. */
    InstanceRecords(StateStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
        for (InstanceRecord r : store.list(InstanceRecord.TYPE, InstanceRecord.class)) {
            remember(r);
        }
        this.tombstones = new InstanceTombstones(store, clock, TOMBSTONE_RETENTION);
    }

    Clock clock() {
        return clock;
    }

    InstanceTombstones tombstones() {
        return tombstones;
    }

    /** Tells {@code listener} the id of every instance whose record is removed (after the removal). */
    void onRemoved(Consumer<String> listener) {
        removalListeners.add(listener);
    }

    // reading

    List<InstanceRecord> list() {
        return List.copyOf(byId.values());
    }

    /** @return every record as it is now, without a copy (read as one goes: weakly consistent) */
    Collection<InstanceRecord> all() {
        return Collections.unmodifiableCollection(byId.values());
    }

    /** @return what the instances placed on the cell use in all (kept as records change, not summed here) */
    ResourceUsage usedOnCell(String cellId) {
        return indexes.usedOnCell(cellId);
    }

    /** @return what the user's instances use in all */
    ResourceUsage usedBy(String user) {
        return indexes.usedBy(user);
    }

    /** @return what the group's instances use in all */
    ResourceUsage usedByGroup(String group) {
        return indexes.usedByGroup(group);
    }

    /** @return the records of the instances placed on the cell */
    List<InstanceRecord> onCell(String cellId) {
        return List.copyOf(indexes.onCell(cellId));
    }


    /** @return every record, sorted by name */
    List<InstanceRecord> byName() {
        List<InstanceRecord> sorted = new ArrayList<>(byId.size());
        walk(InstanceService.ORDER.order("name"), null).forEachRemaining(sorted::add);
        return sorted;
    }

    /**
     * @param order a sort of {@link InstanceService#ORDER}
     * @param after where to start (exclusive), {@code null} for the beginning
     * @return the records in that order, read as the walk goes (a record changed or removed meanwhile may or may not
     *     be met; one that exists during the whole walk is met once)
     */
    Iterator<InstanceRecord> walk(Pager.Order order, Pager.Position after) {
        return indexes.records(order, after);
    }

    /** @return how many instances there are */
    int size() {
        return byId.size();
    }

    Optional<InstanceRecord> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    boolean has(String id) {
        return byId.containsKey(id);
    }

    boolean nameTaken(String name) {
        return byName(name).isPresent();
    }

    /** @return the record of this id, else of this name */
    Optional<InstanceRecord> lookup(String idOrName) {
        return find(idOrName).or(() -> byName(idOrName));
    }

    private Optional<InstanceRecord> byName(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(indexes.named(name));
    }

    /**
     * @return the record of this id or name
     * @throws SkiffException {@code INVALID instance} when none is given, {@code NOT_FOUND instance} when unknown
     */
    InstanceRecord require(String idOrName) {
        if (idOrName == null || idOrName.isEmpty()) {
            throw SkiffException.invalid("instance", "instance is required");
        }
        return lookup(idOrName).orElseThrow(() -> SkiffException.notFound("instance", idOrName));
    }

    /**
     * @return the record, when no create or delete is working on it
     * @throws SkiffException {@code CONFLICT instance} naming the task to wait for, otherwise
     */
    InstanceRecord settled(String idOrName) {
        InstanceRecord r = require(idOrName);
        if (r.state() == InstanceState.CREATING || r.state() == InstanceState.DELETING) {
            throw SkiffException.conflict("instance", "instance '" + r.spec().name() + "' is "
                    + r.state().name().toLowerCase() + "; wait for task " + r.taskId());
        }
        return r;
    }

    // writing

    /** Journals a record, then makes it visible. */
    void save(InstanceRecord r) {
        store.put(InstanceRecord.TYPE, r.id(), r);
        remember(r);
    }

    /** Journals the record with another spec (now its last change) and returns it. */
    InstanceRecord saveSpec(InstanceRecord r, InstanceSpec spec) {
        InstanceRecord changed = r.withSpec(spec, clock.instant());
        save(changed);
        return changed;
    }

    /** Journals that the instance lives on another cell now (after a migration, or its undo). */
    void moveTo(String id, String cellId) {
        find(id).ifPresent(r -> save(r.withCell(cellId, clock.instant())));
    }

    /** Journals the record in another state, worked on by {@code taskId} (or none). */
    void saveState(InstanceRecord r, InstanceState state, String error, String taskId) {
        save(r.with(state, error, taskId, clock.instant()));
    }

    /** Puts an instance, if it still has a record, into a state no task works on. */
    void setState(String id, InstanceState state, String error) {
        find(id).ifPresent(r -> saveState(r, state, error, null));
    }

    /** Journals the removal together with the instance's tombstone, then forgets the record. */
    void remove(String id) {
        store.commit(List.of(StateChange.delete(InstanceRecord.TYPE, id), tombstones.tombstone(id)));
        synchronized (this) {
            InstanceRecord removed = byId.remove(id);
            if (removed != null) {
                indexes.remove(removed);
            }
        }
        removalListeners.forEach(l -> l.accept(id));
    }

    /** Makes a record visible, by id and in every order. */
    private synchronized void remember(InstanceRecord r) {
        indexes.replace(byId.put(r.id(), r), r);
    }
}
