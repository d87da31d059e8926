package io.skiff.examples.placement.pack;

import io.skiff.api.Skiff;
import io.skiff.api.model.Cell;
import io.skiff.api.model.InstanceSpec;
import io.skiff.api.spi.PlacementPolicy;
import org.osgi.service.component.annotations.Component;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The placement policy {@code pack}: fill one cell before the next. The candidates are the cells that still have
 * room for the instance; of those, the first by cell id wins, so every new instance lands on the same cell until
 * it is full, and only then on the next one (idle cells can be kept empty, switched off or drained). Select it
 * with {@code config:property-set -p io.skiff.core.instances placementPolicy pack}.
 * <p>
 * Built only against {@code skiff-api}.
 */
@Component(service = PlacementPolicy.class, property = Skiff.PROVIDER_PROPERTY + "=pack")
public class PackPlacement implements PlacementPolicy {

    @Override
    public Optional<Cell> choose(InstanceSpec spec, List<Cell> candidates) {
        return candidates.stream().min(Comparator.comparing(Cell::id));
    }
}
