package io.skiff.api.model;

import java.time.Instant;

/**
 * A compute pool: a named group of cells among which the scheduler places instances.
 *
 * @param id unique id (also the name, which is unique and immutable)
 * @param name the pool's name: letters, digits, '-', '_' and '.', at most 64 characters
 * @param description free text shown in lists
 * @param createdAt when the pool was created
 * @param failover whether the Core starts the instances of a lost cell on another cell of the pool; only a pool
 *                 whose storage pool is shared may have it (since 2.3 of this package)
 */
public record ComputePool(String id, String name, String description, Instant createdAt, boolean failover) {

    /** A pool without failover. */
    public ComputePool(String id, String name, String description, Instant createdAt) {
        this(id, name, description, createdAt, false);
    }

    /** The same pool with failover on or off. */
    public ComputePool withFailover(boolean newFailover) {
        return new ComputePool(id, name, description, createdAt, newFailover);
    }
}
