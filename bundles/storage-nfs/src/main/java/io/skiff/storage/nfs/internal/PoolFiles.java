package io.skiff.storage.nfs.internal;

import io.skiff.api.spi.StoragePoolUsage;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;

/**
 * The directory and file operations on the pool's export that qemu-img has no command for (look up, read a header,
 * list, link, delete, free space), and the location under which qemu-img and the hypervisor open a file. Paths are
 * relative to the export's root ({@code vm-1.qcow2}, {@code images/debian.qcow2}). Errors are SkiffExceptions: an
 * unreachable server or a missing export INVALID with field {@code server} or {@code export}.
 */
interface PoolFiles extends AutoCloseable {

    /** Size and space taken of a file. */
    record FileStat(long sizeBytes, long usedBytes) {
    }

    /**
     * Fails at once (UNAVAILABLE: waiting may cure it) when the server does not accept a connection within the
     * connect timeout; asked before an operation that would wait for it much longer.
     */
    void requireReachable();

    /** @return what qemu-img and QEMU open for {@code path}: an {@code nfs://} URL or an absolute file name */
    String location(String path);

    /** @return the path below the export of a location of this pool, or empty when it is not one */
    Optional<String> pathOf(String location);

    Optional<FileStat> stat(String path);

    /** @return up to {@code length} bytes from the start of a file */
    byte[] head(String path, int length);

    /** @return the names in a directory ({@code ""}: the export's root); empty when it does not exist */
    List<String> list(String directory);

    /**
     * Deletes a file; tolerates one that does not exist.
     *
     * @return whether there was a file to delete
     */
    boolean delete(String path);

    /** Deletes a leftover (a partial copy) and only logs when that fails: the caller's own outcome matters more. */
    default void deleteQuietly(String path) {
        try {
            delete(path);
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(PoolFiles.class).warn("Leftover {} not deleted: {}", location(path),
                    e.getMessage());
        }
    }

    /** Creates a directory; tolerates one that exists. */
    void createDirectory(String directory);

    /**
     * Gives an existing file a second name (a hard link), never replacing a file: the one way to publish a finished
     * file under its final name that two hosts cannot both win.
     *
     * @return false when {@code name} exists already
     */
    boolean link(String existing, String name);

    StoragePoolUsage usage();

    /** Checks that the export can be reached now (at start, to log what is wrong early). */
    void check();

    @Override
    void close();
}
