package io.skiff.api.cell;

/**
 * A disk of an instance as its cell makes it.
 *
 * @param volume volume name (derived from the instance id)
 * @param storagePool storage pool ({@code null}: the cell's default)
 * @param sizeBytes virtual size
 * @param image image to clone, or {@code null} for an empty disk
 * @param fullCopy with an image: copy it into the volume instead of making a linked clone (qcow2 backing file)
 */
public record CellDisk(String volume, String storagePool, long sizeBytes, ImageSource image, boolean fullCopy) {
    /** A linked clone when {@code image} is set. */
    public CellDisk(String volume, String storagePool, long sizeBytes, ImageSource image) {
        this(volume, storagePool, sizeBytes, image, false);
    }
}
