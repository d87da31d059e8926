package io.skiff.api.service;

import java.time.Instant;

/**
 * A filter over the operation log; {@code null} fields do not filter.
 *
 * @param from earliest time (inclusive)
 * @param to latest time (exclusive)
 * @param user exact user name
 * @param resource text the resource contains
 * @param outcome exact outcome
 * @param limit most entries to return (newest first)
 */
public record OperationQuery(Instant from, Instant to, String user, String resource, String outcome, int limit) {
}
