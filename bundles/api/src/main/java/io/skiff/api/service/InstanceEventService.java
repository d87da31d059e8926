package io.skiff.api.service;

import io.skiff.api.model.InstanceEvent;

import java.util.List;

/**
 * An instance's events: what happened to it (starts and stops asked for, moves, restarts by its cell, failovers,
 * fences), newest first, from the operation log entries whose resource is the instance. Whoever may read the
 * instance may read its events.
 */
public interface InstanceEventService {

    /**
     * @param limit most events to return (newest first); {@code 0} or less: the operation log's own limit
     * @throws SkiffException {@code NOT_FOUND} when the instance does not exist or the caller may not see it
     */
    List<InstanceEvent> events(String idOrName, int limit, AuthenticatedUser caller);
}
