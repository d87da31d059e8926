package io.skiff.api.model;

import java.time.Instant;

/**
 * A compute pool: a named group of cells among which the scheduler places instances.
 *
 * @param id unique id (also the name, which is unique and immutable)
 * @param name the pool's name: letters, digits, '-', '_' and '.', at most 64 characters
 * @param description free text shown in lists
 * @param createdAt when the pool was created
 */
public record ComputePool(String id, String name, String description, Instant createdAt) {
}
