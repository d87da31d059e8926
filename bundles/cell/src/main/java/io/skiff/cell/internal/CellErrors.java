package io.skiff.cell.internal;

import io.skiff.api.service.SkiffException;

/**
 * The error codes the cell raises beyond the common ones ({@code invalid}, {@code not-found}, {@code conflict},
 * {@code provider-unavailable}), for the cases a caller must tell apart without reading the message.
 */
final class CellErrors {
    /**
     * {@code INVALID}, field {@code disk}: the instance has no disk of that index on this cell (past its disks, or
     * for a data disk operation, the system disk or past its data disks). An undo that meets it knows the disk is not
     * there.
     */
    static final String NO_SUCH_DISK = "no-such-disk";

    private CellErrors() {
    }

    static SkiffException noSuchDisk(String message) {
        return new SkiffException(SkiffException.Kind.INVALID, NO_SUCH_DISK, message, "disk");
    }

    /** @return the error for a disk index past the instance's disks: "instance X has disks 0 to N" */
    static SkiffException noSuchDisk(String instanceId, int disks) {
        return noSuchDisk("instance " + instanceId + " has disks 0 to " + (disks - 1));
    }
}
