package io.skiff.api.state;

import java.util.List;
import java.util.Optional;

/**
 * The Core's authoritative state: in memory, every change journaled (fsync) before it is acknowledged,
 * compacted into per-type JSON snapshot files. Values are records mapped to JSON with Jackson.
 */
public interface StateStore {

    /**
     * Applies changes atomically: all of them are journaled in one entry, then applied in memory.
     *
     * @param changes the changes
     */
    void commit(List<StateChange> changes);

    /** Convenience for a single put. */
    default void put(String type, String id, Object value) {
        commit(List.of(StateChange.put(type, id, value)));
    }

    /** Convenience for a single delete. */
    default void delete(String type, String id) {
        commit(List.of(StateChange.delete(type, id)));
    }

    /** @return the value stored under (type, id), mapped to {@code cls} */
    <T> Optional<T> get(String type, String id, Class<T> cls);

    /** @return every value of a type, in id order */
    <T> List<T> list(String type, Class<T> cls);
}
