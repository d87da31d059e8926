package io.skiff.placement.leastloaded.internal;

import io.skiff.api.Skiff;
import io.skiff.api.model.Cell;
import io.skiff.api.model.InstanceSpec;
import io.skiff.api.spi.PlacementPolicy;
import org.osgi.service.component.annotations.Component;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The default placement policy {@code least-loaded}: the candidate with the most available memory relative to its
 * size, then the lowest load per CPU, then the id (so the choice is deterministic). The candidates are the cells
 * the Core's scheduler found room on (over-commit applied); the Core selects the policy by
 * {@code placementPolicy} in {@code io.skiff.core.instances}, {@code least-loaded} unless set otherwise.
 */
@Component(service = PlacementPolicy.class, property = Skiff.PROVIDER_PROPERTY + "=" + LeastLoadedPlacement.NAME)
public class LeastLoadedPlacement implements PlacementPolicy {

    /** The policy's {@code skiff.provider}. */
    public static final String NAME = "least-loaded";

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
