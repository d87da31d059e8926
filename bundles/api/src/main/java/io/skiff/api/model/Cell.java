package io.skiff.api.model;

import java.time.Instant;

/**
 * A host that runs virtual machines, as the Core sees it. A cell that has joined the domain but
 * belongs to no compute pool is <em>unallocated</em> ({@code poolId == null}).
 *
 * @param id the cell's node name in the cluster domain (unique)
 * @param hostname the host's name as the cell reports it
 * @param address the cluster address the cell speaks from
 * @param poolId the compute pool it belongs to, or {@code null} when unallocated
 * @param enabled whether the scheduler may place new instances on it
 * @param status online while its reports arrive, offline when it has been silent, duplicate-name while a second
 *               member of the domain uses its node name
 * @param resources the last reported resources (may be {@code null} before the first report)
 * @param joinedAt when the Core first heard of it
 * @param lastSeen when its last report arrived
 * @param migrationTls whether the cell can take part in migrations over TLS: {@code off} (no certificate directory
 *     configured), {@code requested} (waiting for the cluster CA), {@code ready}; {@code null} before it said
 * @param lostAt when the Core noticed that the cell went offline (it left the cluster view or fell silent), or
 *     {@code null} while it is online or was never seen since the Core started (since 2.3 of this package)
 */
public record Cell(String id, String hostname, String address, String poolId, boolean enabled,
                   CellStatus status, CellResources resources, Instant joinedAt, Instant lastSeen,
                   String migrationTls, Instant lostAt) {

    /** A cell that is not lost. */
    public Cell(String id, String hostname, String address, String poolId, boolean enabled,
                CellStatus status, CellResources resources, Instant joinedAt, Instant lastSeen,
                String migrationTls) {
        this(id, hostname, address, poolId, enabled, status, resources, joinedAt, lastSeen, migrationTls, null);
    }

    /** A cell that has not said where it stands with migration TLS. */
    public Cell(String id, String hostname, String address, String poolId, boolean enabled,
                CellStatus status, CellResources resources, Instant joinedAt, Instant lastSeen) {
        this(id, hostname, address, poolId, enabled, status, resources, joinedAt, lastSeen, null, null);
    }

    /** @return whether the cell belongs to a compute pool */
    public boolean allocated() {
        return poolId != null;
    }

    public Cell withPool(String newPoolId) {
        return new Cell(id, hostname, address, newPoolId, enabled, status, resources, joinedAt, lastSeen,
                migrationTls, lostAt);
    }

    public Cell withEnabled(boolean newEnabled) {
        return new Cell(id, hostname, address, poolId, newEnabled, status, resources, joinedAt, lastSeen,
                migrationTls, lostAt);
    }

    public Cell withStatus(CellStatus newStatus) {
        return new Cell(id, hostname, address, poolId, enabled, newStatus, resources, joinedAt, lastSeen,
                migrationTls, lostAt);
    }
}
