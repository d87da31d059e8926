package io.skiff.api.service;

import io.skiff.api.model.StoragePool;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Storage pools as the Core defines them (Nano's model): a pool of type {@code local} (a directory on each cell's
 * host) or {@code nfs} (an export every cell of the pool shares), attached to compute pools whose cells then make the
 * disks of new instances in it. A compute pool with no storage pool attached keeps today's behaviour: each cell uses
 * the storage of its own settings. Implemented by the Core; the caller is taken as the other services take it (the
 * permissions {@code storage.read} and {@code storage.manage} are checked by REST and the shell).
 *
 * @since 2.2 of this package
 */
@org.osgi.annotation.versioning.ProviderType
public interface StoragePoolService {

    /** @return every storage pool with its capacity and free space as the cells last reported them, by name */
    List<StoragePool> list(AuthenticatedUser caller);

    /** @throws SkiffException NOT_FOUND */
    StoragePool get(String id, AuthenticatedUser caller);

    /**
     * Creates a storage pool once a cell has checked that it can be used.
     *
     * @param name unique name ({@code [A-Za-z0-9._-]}, 1 to 64 characters)
     * @param type {@code local} or {@code nfs}
     * @param settings for {@code nfs}: {@code server}, {@code export} (required) and {@code mode} ({@code libnfs},
     *     the default, or {@code mount}); for {@code local}: {@code path} (optional: the cells' default directory)
     * @throws SkiffException INVALID naming the field ({@code name}, {@code type}, {@code server}, {@code export},
     *     {@code mode}, {@code path}; an unreachable server or an export the server does not serve as well),
     *     CONFLICT for a duplicate name or when no online cell can check the pool
     */
    StoragePool create(String name, String type, Map<String, String> settings, AuthenticatedUser caller);

    /**
     * @throws SkiffException NOT_FOUND, or CONFLICT while it is attached to a compute pool or instances keep
     *     volumes in it
     */
    void delete(String id, AuthenticatedUser caller);

    /**
     * New instances of the compute pool keep their disks in this storage pool.
     *
     * @throws SkiffException NOT_FOUND (storage pool or {@code computePool}), CONFLICT when the compute pool uses
     *     another storage pool
     */
    StoragePool attach(String id, String computePoolId, AuthenticatedUser caller);

    /** @throws SkiffException NOT_FOUND when the compute pool is not attached to it */
    StoragePool detach(String id, String computePoolId, AuthenticatedUser caller);

    /** @return the storage pool attached to a compute pool, if any */
    Optional<StoragePool> forComputePool(String computePoolId, AuthenticatedUser caller);
}
