package io.skiff.core.internal.instance;

import io.skiff.api.model.Cell;
import io.skiff.api.model.InstanceSpec;
import io.skiff.api.spi.PlacementPolicy;
import org.osgi.service.component.annotations.Component;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The default placement policy: the candidate with the most available memory relative to its size, then
 * the lowest load, then the name (so the choice is deterministic).
 */
@Component(service = PlacementPolicy.class, property = "skiff.provider=least-loaded")
public class LeastLoadedPlacement implements PlacementPolicy {

    @Override
    public Optional<Cell> choose(InstanceSpec spec, List<Cell> candidates) {
        return candidates.stream().min(Comparator
                .comparingDouble(LeastLoadedPlacement::memoryUse)
                .thenComparingDouble(c -> c.resources().loadAverage() / Math.max(1, c.resources().cpuCount()))
                .thenComparing(Cell::id));
    }

    private static double memoryUse(Cell cell) {
        long total = Math.max(1, cell.resources().memoryTotalBytes());
        return 1.0 - (double) cell.resources().memoryAvailableBytes() / total;
    }
}
