package io.skiff.api.state;

import io.skiff.api.model.Timings;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

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

    /**
     * Applies changes atomically, as {@link #commit}, without waiting for the disk: concurrent commits share one
     * write and one force (since version 0.2 of this package).
     *
     * @param changes the changes
     * @return a stage completed once the changes are durable and visible, or exceptionally when they were refused.
     *     It may complete on the store's own thread: what depends on it must not wait for the store there (continue
     *     on an executor of your own)
     */
    default CompletionStage<Void> commitAsync(List<StateChange> changes) {
        try {
            commit(changes);
            return CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

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

    /**
     * @return how long the store's forced writes to disk (fsync) took since it opened, or {@code empty} when it does
     *     not time them (since version 0.3 of this package)
     */
    default Optional<Timings> syncTimings() {
        return Optional.empty();
    }
}
