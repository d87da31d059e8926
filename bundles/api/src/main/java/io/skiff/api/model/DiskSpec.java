package io.skiff.api.model;

/**
 * A disk an instance asks for.
 *
 * @param sizeBytes virtual size
 * @param storagePool storage pool to take it from ({@code null}: the cell's default)
 * @param imageId disk image to start from ({@code null}: empty disk)
 * @param cloneMode with an image: {@code linked} (a qcow2 overlay on the image; instant, the image must stay) or
 *     {@code full} (an independent copy); {@code null} means {@code linked}
 */
public record DiskSpec(long sizeBytes, String storagePool, String imageId, String cloneMode) {
    /** A linked clone when {@code imageId} is set. */
    public DiskSpec(long sizeBytes, String storagePool, String imageId) {
        this(sizeBytes, storagePool, imageId, null);
    }

    /** @return whether this disk is a linked clone of an image (the image must not be deleted while it exists) */
    public boolean linkedClone() {
        return imageId != null && !"full".equals(cloneMode);
    }
}
