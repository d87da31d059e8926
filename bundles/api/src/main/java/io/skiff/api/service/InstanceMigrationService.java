package io.skiff.api.service;

import io.skiff.api.model.TaskInfo;

/**
 * Moving instances between the cells of their compute pool: one instance (live when it runs, cold when it is
 * stopped), or every instance of a cell (evacuation, before maintenance).
 */
@org.osgi.annotation.versioning.ProviderType
public interface InstanceMigrationService {

    /**
     * Moves an instance to another cell of its compute pool, keeping its id, name, MAC, address and console. A
     * running instance moves live (memory only on shared storage; with a copy of its disks on local storage); a
     * stopped one moves cold (its disks copied too on local storage) and stays stopped. Snapshots move with it on
     * shared storage. All-or-nothing: on failure it is on its cell as before.
     *
     * @param cellId the target cell, or {@code null} to let the placement policy choose one in the same pool
     * @return the task ({@code instance.migrate}); its last step's data has {@code downtimeMillis} and
     *     {@code wallMillis}
     * @throws SkiffException {@code INVALID cell} for an unknown cell; {@code CONFLICT cell} for the instance's own
     *     cell, a cell of another pool, an offline or disabled cell, or no cell with room; {@code CONFLICT instance}
     *     when a task works on the instance or it cannot move (e.g. it has snapshots and its disks are on local
     *     storage, where a copy would lose them)
     */
    TaskInfo migrate(String idOrName, String cellId, AuthenticatedUser caller);

    /**
     * Disables a cell (placement no longer picks it) and moves every instance on it to the other cells of its pool,
     * one task each, at most {@code batchParallelism} at once; the cell stays disabled ({@code enable} brings it
     * back).
     *
     * @return the parent task ({@code cell.evacuate}), one step per instance
     * @throws SkiffException {@code NOT_FOUND cell} for an unknown cell
     */
    TaskInfo evacuate(String cellId, AuthenticatedUser caller);
}
