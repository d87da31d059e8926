package io.skiff.core.internal.instance;

import io.skiff.api.model.Cell;
import io.skiff.api.model.CellStatus;
import io.skiff.api.model.InstanceSpec;
import io.skiff.api.model.ResourceUsage;
import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.PlacementPolicy;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Finds the cells that can take an instance — enabled, online, in the pool, with room under the over-commit
 * ratios counting the instances already placed — and lets the placement policy choose among them.
 */
public class InstanceScheduler {
    private final double cpuOvercommit;
    private final double memoryOvercommit;
    /** Placement and reservation happen under this lock, so concurrent creates never over-commit a cell. */
    private final ReentrantLock lock = new ReentrantLock();

    public InstanceScheduler(double cpuOvercommit, double memoryOvercommit) {
        this.cpuOvercommit = cpuOvercommit;
        this.memoryOvercommit = memoryOvercommit;
    }

    /**
     * @param spec the instance to place
     * @param cells all cells
     * @param placed the instances already placed (their specs and cells)
     * @param policy the placement policy
     * @return the chosen cell
     * @throws SkiffException CONFLICT naming why nothing fits
     */
    public Cell place(InstanceSpec spec, List<Cell> cells, Collection<InstanceRecord> placed, PlacementPolicy policy) {
        Map<String, List<InstanceRecord>> byCell = placed.stream()
                .filter(r -> r.cellId() != null)
                .collect(Collectors.groupingBy(InstanceRecord::cellId));
        return place(spec, cells, cell -> InstanceQuotas.sum(byCell.getOrDefault(cell, List.of())), policy);
    }

    /**
     * As {@link #place(InstanceSpec, List, Collection, PlacementPolicy)}, with what is placed so far given per cell
     * ({@code usedOn}: a cell's id to what its instances use in all), so that placing one instance reads a sum per
     * cell of the pool, not the instances.
     */
    public Cell place(InstanceSpec spec, List<Cell> cells, Function<String, ResourceUsage> usedOn,
                      PlacementPolicy policy) {
        List<Cell> inPool = cells.stream().filter(c -> spec.poolId().equals(c.poolId())).toList();
        if (spec.cellId() != null) {
            inPool = inPool.stream().filter(c -> c.id().equals(spec.cellId())).toList();
            if (inPool.isEmpty()) {
                throw SkiffException.invalid("cellId", "cell '" + spec.cellId() + "' is not in pool '"
                        + spec.poolId() + "'");
            }
        }
        if (inPool.isEmpty()) {
            throw SkiffException.conflict("poolId", "pool '" + spec.poolId() + "' has no cells");
        }
        List<Cell> usable = inPool.stream()
                .filter(c -> c.enabled() && c.status() == CellStatus.ONLINE && c.resources() != null).toList();
        if (usable.isEmpty()) {
            throw SkiffException.conflict("poolId", "pool '" + spec.poolId() + "' has no enabled, online cell");
        }
        Map<String, ResourceUsage> byCell = usable.stream()
                .collect(Collectors.toMap(Cell::id, c -> usedOn.apply(c.id()), (a, b) -> a));
        List<Cell> fitting = usable.stream().filter(c -> fits(spec, c, byCell.get(c.id()))).toList();
        if (fitting.isEmpty()) {
            throw SkiffException.conflict("poolId", "no cell of pool '" + spec.poolId() + "' has room for "
                    + spec.cores() + " cores and " + (spec.memoryBytes() >> 20) + " MiB (over-commit: CPU x"
                    + cpuOvercommit + ", memory x" + memoryOvercommit + ")");
        }
        // cells report free memory every 2 s: count what was reserved since, so a burst spreads out
        List<Cell> adjusted = fitting.stream().map(c -> withReservations(c, byCell.get(c.id()))).toList();
        Cell chosen = policy.choose(spec, adjusted).orElseThrow(() -> SkiffException.conflict("poolId",
                "the placement policy found no cell for the instance"));
        return fitting.stream().filter(c -> c.id().equals(chosen.id())).findFirst().orElse(chosen);
    }

    /**
     * Places an instance and reserves its room atomically: {@code reserve} (which persists the placed instance)
     * runs under the scheduler's lock, before any other placement can count the cell's room.
     *
     * @param placed what is placed so far, per cell (called under the lock)
     * @param reserve persists the reservation on the chosen cell
     * @return the chosen cell
     */
    public Cell placeAndReserve(InstanceSpec spec, Supplier<List<Cell>> cells,
                                Supplier<Function<String, ResourceUsage>> placed,
                                PlacementPolicy policy, Consumer<Cell> reserve) {
        lock.lock();
        try {
            Cell cell = place(spec, cells.get(), placed.get(), policy);
            reserve.accept(cell);
            return cell;
        } finally {
            lock.unlock();
        }
    }

    /** Runs an action that changes what is placed (e.g. resizing an instance) under the scheduler's lock. */
    public <T> T locked(Supplier<T> action) {
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    /** The cell as the policy should see it: free memory no more than its size minus what is placed on it. */
    static Cell withReservations(Cell cell, ResourceUsage placed) {
        long committed = placed.memoryBytes();
        io.skiff.api.model.CellResources r = cell.resources();
        long available = Math.max(0, Math.min(r.memoryAvailableBytes(), r.memoryTotalBytes() - committed));
        return new Cell(cell.id(), cell.hostname(), cell.address(), cell.poolId(), cell.enabled(), cell.status(),
                new io.skiff.api.model.CellResources(r.cpuCount(), r.memoryTotalBytes(), available, r.diskTotalBytes(),
                        r.diskFreeBytes(), r.loadAverage(), r.reportedAt()), cell.joinedAt(), cell.lastSeen());
    }

    /** @return whether the instance fits on the cell beside what is placed there ({@code placed}) */
    boolean fits(InstanceSpec spec, Cell cell, ResourceUsage placed) {
        long cores = (long) placed.cores() + spec.cores();
        long memory = placed.memoryBytes() + spec.memoryBytes();
        return cores <= Math.floor(cell.resources().cpuCount() * cpuOvercommit)
                && memory <= (long) (cell.resources().memoryTotalBytes() * memoryOvercommit);
    }
}
