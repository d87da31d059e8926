package io.skiff.core.internal.instance;

import io.skiff.api.cell.MigrationSource;
import io.skiff.api.state.StateStore;

import java.util.Optional;

/**
 * What the cells hold of their instances of failover pools (volume paths on the shared storage, MAC, console
 * password), as each cell described them while it was online: a lost cell cannot be asked, and the target of a
 * failover needs them to start the instance from the same disks with the same MAC. Kept in the state store under type
 * {@value #TYPE} (journaled, so a Core restart keeps them).
 */
final class FailoverSources {
    static final String TYPE = "failover-source";

    private final StateStore store;

    FailoverSources(StateStore store) {
        this.store = store;
    }

    Optional<MigrationSource> find(String instanceId) {
        return store.get(TYPE, instanceId, MigrationSource.class);
    }

    /** @return whether the description matches the instance's disks (a disk added since makes it stale) */
    boolean current(String instanceId, int disks) {
        return find(instanceId).map(s -> s.shared() && s.volumes().size() == disks).orElse(false);
    }

    void remember(MigrationSource source) {
        store.put(TYPE, source.instanceId(), source);
    }

    void forget(String instanceId) {
        store.delete(TYPE, instanceId);
    }
}
