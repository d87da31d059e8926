package io.skiff.api.service;

import io.skiff.api.model.TaskInfo;

/**
 * An instance's disks: resize, add, compact and remove. Each change runs as a task on the instance (see
 * {@link InstanceService}); bad input fails fast, before anything is queued.
 */
@org.osgi.annotation.versioning.ProviderType
public interface InstanceDiskService {

    /**
     * Resizes one disk of an instance. A disk grows running (live: the guest sees the new size at once) or stopped;
     * it shrinks only stopped ({@code CONFLICT instance} otherwise) and never below where its data ends
     * ({@code INVALID sizeBytes}, asked of the cell before anything changes). The same size is refused too.
     *
     * @param disk index of the disk, 0 = system disk
     */
    TaskInfo resizeDisk(String idOrName, int disk, long sizeBytes, AuthenticatedUser caller);

    /**
     * Adds an empty data disk as the instance's last disk: hot-plugged when it runs, in its definition otherwise.
     *
     * @param storagePool the cell's storage pool, {@code null} for its default
     */
    TaskInfo addDisk(String idOrName, long sizeBytes, String storagePool, AuthenticatedUser caller);

    /**
     * Compacts disk {@code disk} of a stopped instance (unused space given back; a linked clone stays linked). The
     * task's message says the bytes on disk before and after.
     */
    TaskInfo compactDisk(String idOrName, int disk, AuthenticatedUser caller);

    /**
     * Removes a data disk (index 1 or more) and deletes its volume: detached live when the instance runs.
     */
    TaskInfo removeDisk(String idOrName, int disk, AuthenticatedUser caller);
}
