package io.skiff.api.spi;

import io.skiff.api.model.Cell;
import io.skiff.api.model.InstanceSpec;

import java.util.List;
import java.util.Optional;

/** Chooses the cell for a new instance. Registered with {@code skiff.provider} naming the policy. */
public interface PlacementPolicy {

    /**
     * @param spec the instance to place
     * @param candidates enabled, online cells of the pool that have room for it
     * @return the chosen cell, or empty when none fits
     */
    Optional<Cell> choose(InstanceSpec spec, List<Cell> candidates);
}
