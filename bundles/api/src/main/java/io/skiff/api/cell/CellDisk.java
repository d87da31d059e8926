package io.skiff.api.cell;

/**
 * A disk of an instance as its cell makes it.
 *
 * @param volume volume name (derived from the instance id)
 * @param storagePool storage pool ({@code null}: the cell's default)
 * @param sizeBytes virtual size
 * @param image image to clone, or {@code null} for an empty disk
 */
public record CellDisk(String volume, String storagePool, long sizeBytes, ImageSource image) {
}
