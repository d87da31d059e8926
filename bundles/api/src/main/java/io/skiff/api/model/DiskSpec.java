package io.skiff.api.model;

/**
 * A disk an instance asks for.
 *
 * @param sizeBytes virtual size
 * @param storagePool storage pool to take it from ({@code null}: the cell's default)
 * @param imageId disk image to start from ({@code null}: empty disk)
 */
public record DiskSpec(long sizeBytes, String storagePool, String imageId) {
}
