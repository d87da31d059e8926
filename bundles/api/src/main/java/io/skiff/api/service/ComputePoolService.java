package io.skiff.api.service;

import io.skiff.api.model.ComputePool;

import java.util.List;

/** Compute pools: create, list, describe, delete. Implemented by the Core. */
public interface ComputePoolService {

    List<ComputePool> list();

    /** @throws SkiffException NOT_FOUND */
    ComputePool get(String name);

    /**
     * @param name unique name ({@code [A-Za-z0-9._-]}, 1 to 64 characters)
     * @param description optional text
     * @throws SkiffException INVALID or CONFLICT (duplicate name)
     */
    ComputePool create(String name, String description);

    /** @throws SkiffException NOT_FOUND, INVALID */
    ComputePool update(String name, String description);

    /**
     * Changes a pool's description and, unless {@code failover} is {@code null}, its failover setting.
     *
     * @throws SkiffException NOT_FOUND, INVALID, or CONFLICT (field {@code failover}) when failover is turned on
     *         for a pool whose storage pool is not shared
     */
    default ComputePool update(String name, String description, Boolean failover) {
        if (failover != null) {
            throw SkiffException.invalid("failover", "this Core does not support failover pools");
        }
        return update(name, description);
    }

    /** @throws SkiffException NOT_FOUND, or CONFLICT while cells belong to it */
    void delete(String name);
}
