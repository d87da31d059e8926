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

    /** @throws SkiffException NOT_FOUND, or CONFLICT while cells belong to it */
    void delete(String name);
}
