package io.skiff.api.service;

import io.skiff.api.model.ComponentActivation;
import io.skiff.api.model.ProviderInfo;

import java.util.List;

/**
 * The providers of every SPI on this node and what depends on them, and the activations of the Core and Cell
 * components; what an operator checks before and after a live upgrade.
 */
public interface ProviderService {

    /** @return every provider of every Skiff SPI registered on this node, sorted by SPI and name */
    List<ProviderInfo> providers();

    /** @return the current activation of each Core and Cell component on this node, sorted by name */
    List<ComponentActivation> components();

    /**
     * Checks that a provider may be removed: nothing depends on it.
     *
     * @param spi the SPI's simple name, or {@code null} for any
     * @param name the provider's name
     * @throws SkiffException NOT_FOUND when no such provider is registered, CONFLICT (with the dependants
     *                        named) while something depends on it
     */
    void checkRemovable(String spi, String name);
}
