package io.skiff.cell.internal;

import io.skiff.api.service.SkiffException;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The instances' storage lease files ({@code leaseDirectory}): one empty file per instance, {@code DIR/<instanceId>},
 * in a directory every host of the pool sees and whose libvirt lock manager (virtlockd) uses it as its lockspace.
 * The file is made (mode 600) before each definition, since virtlockd does not create a lease file, and removed
 * only when the instance is deleted: a migration or a move keeps it, as the lease travels with the running domain.
 * Without the setting there are no lease files and domains hold no lease.
 */
final class LeaseFiles {

    private final Path directory;

    /** @param setting the cell's {@code leaseDirectory}; blank: no leases */
    LeaseFiles(String setting) {
        this.directory = setting == null || setting.isBlank() ? null : Path.of(setting.strip()).toAbsolutePath()
                .normalize();
    }

    /**
     * @return the instance's lease file, there and empty unless a domain uses it already; {@code null} without leases
     * @throws SkiffException {@code UNAVAILABLE} when the directory is not there (the shared file system not mounted)
     */
    String prepare(String instanceId) throws IOException {
        if (directory == null) {
            return null;
        }
        if (!Files.isDirectory(directory)) {
            throw SkiffException.unavailable("instance " + instanceId + ": the lease directory " + directory
                    + " (leaseDirectory) is not there; mount the storage all hosts of the pool share for leases");
        }
        Path file = directory.resolve(instanceId);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            // the instance's lease file from an earlier definition, maybe held by its running domain: kept as it is
        }
        return file.toString();
    }

    /** Removes the lease file of a deleted instance; nothing without leases. */
    void delete(String instanceId) throws IOException {
        if (directory != null) {
            Files.deleteIfExists(directory.resolve(instanceId));
        }
    }
}
