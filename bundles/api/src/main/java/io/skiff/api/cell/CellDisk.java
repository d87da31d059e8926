package io.skiff.api.cell;

/**
 * A disk of an instance as its cell makes it.
 *
 * @param volume volume name (derived from the instance id)
 * @param storagePool storage pool ({@code null}: the cell's default)
 * @param sizeBytes virtual size
 * @param image image to clone, or {@code null} for an empty disk
 * @param fullCopy with an image: copy it into the volume instead of making a linked clone (qcow2 backing file)
 * @param poolDefinition the Core's definition of {@code storagePool} when it is a storage pool defined in the Core
 *     (the cell has its backend take it when it does not know the pool yet), or {@code null} for a pool of the
 *     cell's own settings (since 0.7 of this package)
 */
public record CellDisk(String volume, String storagePool, long sizeBytes, ImageSource image, boolean fullCopy,
                       StoragePoolDefinition poolDefinition) {
    /** A disk in a pool of the cell's own settings. */
    public CellDisk(String volume, String storagePool, long sizeBytes, ImageSource image, boolean fullCopy) {
        this(volume, storagePool, sizeBytes, image, fullCopy, null);
    }

    /** A linked clone when {@code image} is set. */
    public CellDisk(String volume, String storagePool, long sizeBytes, ImageSource image) {
        this(volume, storagePool, sizeBytes, image, false);
    }

    /** The same disk in a storage pool the Core defines ({@code null}: the cell's default pool). */
    public CellDisk inPool(StoragePoolDefinition definition) {
        return definition == null ? this
                : new CellDisk(volume, definition.name(), sizeBytes, image, fullCopy, definition);
    }
}
