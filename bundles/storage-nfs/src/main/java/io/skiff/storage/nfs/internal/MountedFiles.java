package io.skiff.storage.nfs.internal;

import io.skiff.api.service.SkiffException;
import io.skiff.api.service.SkiffException.Kind;
import io.skiff.api.spi.StoragePoolUsage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The {@code mount} mode's files: plain file operations below the mount point of the {@link NetfsPool} (mounted on
 * first use). Volumes are file names there; a file's allocation is its size (Java sees no block counts).
 */
final class MountedFiles implements PoolFiles {

    /** Where the export is mounted. */
    interface Mount {
        /** @return the mount point, also before it is mounted */
        Path directory();

        /** Mounts the export unless it is; @return the mount point */
        Path mount();

        /** See {@link PoolFiles#requireReachable()}; by default nothing is checked. */
        default void requireReachable() {
        }

        void close();
    }

    private final Mount pool;

    MountedFiles(Mount pool) {
        this.pool = pool;
    }

    @Override
    public void requireReachable() {
        pool.requireReachable();
    }

    @Override
    public String location(String path) {
        return pool.directory().resolve(path).toString();
    }

    @Override
    public Optional<String> pathOf(String location) {
        Path directory = pool.directory();
        Path p = Path.of(location).normalize();
        return p.isAbsolute() && p.startsWith(directory) && !p.equals(directory)
                ? Optional.of(directory.relativize(p).toString()) : Optional.empty();
    }

    @Override
    public Optional<FileStat> stat(String path) {
        Path file = file(path);
        try {
            long size = Files.size(file);
            return Optional.of(new FileStat(size, size));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw failure("look up", file, e);
        }
    }

    @Override
    public byte[] head(String path, int length) {
        Path file = file(path);
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(length);
        } catch (IOException e) {
            throw failure("read", file, e);
        }
    }

    @Override
    public List<String> list(String directory) {
        Path dir = file(directory);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(dir)) {
            return children.map(p -> p.getFileName().toString()).toList();
        } catch (IOException e) {
            throw failure("list", dir, e);
        }
    }

    @Override
    public boolean delete(String path) {
        Path file = file(path);
        try {
            return Files.deleteIfExists(file);
        } catch (IOException e) {
            throw failure("delete", file, e);
        }
    }

    @Override
    public void createDirectory(String directory) {
        Path dir = file(directory);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw failure("create directory", dir, e);
        }
    }

    @Override
    public boolean link(String existing, String name) {
        Path link = file(name);
        try {
            Files.createLink(link, file(existing));
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            throw failure("link", link, e);
        }
    }

    @Override
    public StoragePoolUsage usage() {
        Path dir = pool.mount();
        try {
            FileStore store = Files.getFileStore(dir);
            return new StoragePoolUsage(store.getTotalSpace(), store.getTotalSpace() - store.getUnallocatedSpace(),
                    store.getUsableSpace());
        } catch (IOException e) {
            throw failure("read the free space of", dir, e);
        }
    }

    @Override
    public void check() {
        pool.mount();
    }

    @Override
    public void close() {
        pool.close();
    }

    private Path file(String path) {
        return pool.mount().resolve(path);
    }

    private static SkiffException failure(String action, Path file, IOException e) {
        return new SkiffException(Kind.INTERNAL, "storage-failed", "cannot " + action + " " + file + ": " + e, null);
    }
}
