package io.skiff.core.internal;

import java.time.Instant;

/**
 * The durable part of a cell: what the admin decided about it. Resources and liveness are runtime facts
 * and are not journaled.
 */
public record CellRecord(String id, String hostname, String address, String poolId, boolean enabled,
                         Instant joinedAt) {

    static final String TYPE = "cell";

    CellRecord withPool(String newPool) {
        return new CellRecord(id, hostname, address, newPool, enabled, joinedAt);
    }

    CellRecord withEnabled(boolean newEnabled) {
        return new CellRecord(id, hostname, address, poolId, newEnabled, joinedAt);
    }

    CellRecord withHost(String newHostname, String newAddress) {
        return new CellRecord(id, newHostname, newAddress, poolId, enabled, joinedAt);
    }
}
