package io.skiff.api.model;

import java.time.Instant;

/**
 * A storage pool of a cell with its capacity, as last reported.
 *
 * @param cellId the cell
 * @param name pool name
 * @param provider {@code skiff.provider} of its backend
 * @param capacityBytes total
 * @param allocationBytes used
 * @param availableBytes free
 * @param reportedAt when the cell reported it
 */
public record CellStoragePool(String cellId, String name, String provider, long capacityBytes, long allocationBytes,
                              long availableBytes, Instant reportedAt) {
}
