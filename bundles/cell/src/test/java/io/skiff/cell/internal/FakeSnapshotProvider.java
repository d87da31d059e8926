package io.skiff.cell.internal;

import io.skiff.api.model.Snapshot;
import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.SnapshotProvider;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** An in-memory {@link SnapshotProvider} for unit tests. */
class FakeSnapshotProvider implements SnapshotProvider {
    final Map<String, List<Snapshot>> snapshots = new ConcurrentHashMap<>();
    /** When set, a delete fails with this error (the way a provider passes on libvirt's refusal). */
    volatile SkiffException deleteFailure;

    @Override
    public synchronized Snapshot create(String instanceId, String name, String description) {
        List<Snapshot> list = snapshots.computeIfAbsent(instanceId, i -> new ArrayList<>());
        if (list.stream().anyMatch(s -> s.name().equals(name))) {
            throw SkiffException.conflict("name", "instance " + instanceId + " has a snapshot '" + name + "'");
        }
        Snapshot s = new Snapshot(name, instanceId, name, description, list.isEmpty() ? null
                : list.get(list.size() - 1).name(), Instant.now(), "stopped", true);
        list.add(s);
        return s;
    }

    @Override
    public synchronized List<Snapshot> list(String instanceId) {
        return List.copyOf(snapshots.getOrDefault(instanceId, List.of()));
    }

    @Override
    public void revert(String instanceId, String name) {
        find(instanceId, name);
    }

    @Override
    public synchronized void delete(String instanceId, String name) {
        Snapshot s = find(instanceId, name);
        if (deleteFailure != null) {
            throw deleteFailure;
        }
        snapshots.get(instanceId).remove(s);
    }

    private synchronized Snapshot find(String instanceId, String name) {
        return snapshots.getOrDefault(instanceId, List.of()).stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new SkiffException(SkiffException.Kind.NOT_FOUND, "not-found",
                        "instance " + instanceId + " has no snapshot '" + name + "'", "snapshot"));
    }
}
