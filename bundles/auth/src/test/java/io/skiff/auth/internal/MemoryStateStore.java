package io.skiff.auth.internal;

import io.skiff.api.state.StateChange;
import io.skiff.api.state.StateStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** A state store in memory for unit tests (the real one journals JSON). */
final class MemoryStateStore implements StateStore {
    final Map<String, Map<String, Object>> data = new TreeMap<>();
    int commits;

    @Override
    public synchronized void commit(List<StateChange> changes) {
        commits++;
        for (StateChange c : changes) {
            Map<String, Object> type = data.computeIfAbsent(c.type(), t -> new TreeMap<>());
            if (c.value() == null) {
                type.remove(c.id());
            } else {
                type.put(c.id(), c.value());
            }
        }
    }

    @Override
    public synchronized <T> Optional<T> get(String type, String id, Class<T> cls) {
        return Optional.ofNullable(data.getOrDefault(type, Map.of()).get(id)).map(cls::cast);
    }

    @Override
    public synchronized <T> List<T> list(String type, Class<T> cls) {
        List<T> out = new ArrayList<>();
        data.getOrDefault(type, Map.of()).values().forEach(v -> out.add(cls.cast(v)));
        return out;
    }
}
