package io.skiff.network.pool.internal;

import io.skiff.api.state.StateChange;
import io.skiff.api.state.StateStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A state store in memory for unit tests; can fail the next commit to show that nothing changes then. */
class MemoryStateStore implements StateStore {
    private final Map<String, TreeMap<String, Object>> data = new TreeMap<>();
    final AtomicInteger commits = new AtomicInteger();
    volatile boolean failNext;

    @Override
    public synchronized void commit(List<StateChange> changes) {
        if (failNext) {
            failNext = false;
            throw new IllegalStateException("disk full (injected)");
        }
        commits.incrementAndGet();
        for (StateChange c : changes) {
            TreeMap<String, Object> byId = data.computeIfAbsent(c.type(), t -> new TreeMap<>());
            if (c.value() == null) {
                byId.remove(c.id());
            } else {
                byId.put(c.id(), c.value());
            }
        }
    }

    @Override
    public synchronized <T> Optional<T> get(String type, String id, Class<T> cls) {
        return Optional.ofNullable(data.getOrDefault(type, new TreeMap<>()).get(id)).map(cls::cast);
    }

    @Override
    public synchronized <T> List<T> list(String type, Class<T> cls) {
        List<T> out = new ArrayList<>();
        data.getOrDefault(type, new TreeMap<>()).values().forEach(v -> out.add(cls.cast(v)));
        return out;
    }
}
