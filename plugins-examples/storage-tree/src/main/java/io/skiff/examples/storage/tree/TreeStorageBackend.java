package io.skiff.examples.storage.tree;

import io.skiff.api.Skiff;
import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.StorageBackend;
import io.skiff.api.spi.StoragePoolUsage;
import io.skiff.api.spi.Volume;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A second directory-backed {@link StorageBackend}, {@code skiff.provider=tree}: plain files laid out by
 * {@link TreeLayout}, made with {@code qemu-img} (no libvirt storage pool). The pools it serves are announced in
 * the {@code skiff.storage.pools} service property, so a cell sends the disks of those pools here; an instance
 * uses it by naming such a pool in a disk ({@code "disks":[{"storagePool":"tree",...}]}).
 * <p>
 * Built only against {@code skiff-api}.
 */
@Component(service = StorageBackend.class, configurationPid = "io.skiff.examples.storage.tree",
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = {Skiff.PROVIDER_PROPERTY + "=tree", "skiff.storage.pools=tree"})
@Designate(ocd = TreeStorageConfig.class)
public class TreeStorageBackend implements StorageBackend {
    private final TreeLayout layout;
    private final Path root;
    private final String qemuImg;

    @Activate
    public TreeStorageBackend(TreeStorageConfig config) {
        this(config.root().isBlank() ? Path.of(System.getProperty("karaf.data", "data"), "skiff", "tree")
                : Path.of(config.root()), config.qemuImg());
    }

    TreeStorageBackend(Path root, String qemuImg) {
        this.root = root.toAbsolutePath().normalize();
        this.layout = new TreeLayout(this.root);
        this.qemuImg = qemuImg;
    }

    @Override
    public Volume create(String pool, String name, long capacityBytes, String backingPath) {
        if (capacityBytes <= 0 && backingPath == null) {
            throw SkiffException.invalid("capacityBytes", "volume '" + name + "' needs a positive capacity");
        }
        Path disk = layout.disk(pool, name);
        if (Files.exists(disk)) {
            throw SkiffException.conflict("name", "volume '" + name + "' already exists in pool '" + pool + "'");
        }
        mkdirs(disk.getParent());
        List<String> command = new ArrayList<>(List.of(qemuImg, "create", "-q", "-f", "qcow2"));
        if (backingPath != null) {
            command.addAll(List.of("-F", isQcow2(Path.of(backingPath)) ? "qcow2" : "raw", "-b", backingPath));
        }
        command.add(disk.toString());
        if (capacityBytes > 0) {
            command.add(Long.toString(capacityBytes));
        }
        try {
            run(command, "cannot create volume '" + name + "'");
            if (backingPath != null && capacityBytes > 0 && virtualSize(disk) < capacityBytes) {
                run(List.of(qemuImg, "resize", "-q", disk.toString(), Long.toString(capacityBytes)),
                        "cannot size volume '" + name + "'");
            }
        } catch (RuntimeException e) {
            delete(pool, name);
            throw e;
        }
        return volume(pool, name);
    }

    @Override
    public Volume importFile(String pool, String name, Path source) {
        Path disk = layout.disk(pool, name);
        if (Files.exists(disk)) {
            throw SkiffException.conflict("name", "volume '" + name + "' already exists in pool '" + pool + "'");
        }
        mkdirs(disk.getParent());
        run(List.of(qemuImg, "convert", "-q", "-O", "qcow2", source.toString(), disk.toString()),
                "cannot import '" + source + "' as volume '" + name + "'");
        return volume(pool, name);
    }

    @Override
    public void delete(String pool, String name) {
        Path dir = layout.volumeDir(pool, name);
        try {
            Files.deleteIfExists(dir.resolve(TreeLayout.DISK));
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            throw new SkiffException(SkiffException.Kind.INTERNAL, "storage-failed", "cannot delete volume '" + name
                    + "': " + e.getMessage(), null);
        }
    }

    @Override
    public Volume resize(String pool, String name, long capacityBytes) {
        Path disk = existing(pool, name);
        run(List.of(qemuImg, "resize", "-q", disk.toString(), Long.toString(capacityBytes)),
                "cannot resize volume '" + name + "'");
        return volume(pool, name);
    }

    @Override
    public Optional<Volume> find(String pool, String name) {
        return Files.exists(layout.disk(pool, name)) ? Optional.of(volume(pool, name)) : Optional.empty();
    }

    @Override
    public List<Volume> list(String pool) {
        Path dir = layout.pool(pool);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.find(dir, 3, (p, a) -> a.isRegularFile()
                && p.getFileName().toString().equals(TreeLayout.DISK))) {
            return files.map(p -> volume(pool, p.getParent().getFileName().toString()))
                    .sorted(Comparator.comparing(Volume::name)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public StoragePoolUsage usage(String pool) {
        Path dir = layout.pool(pool);
        mkdirs(dir);
        try {
            FileStore store = Files.getFileStore(dir);
            long allocation = list(pool).stream().mapToLong(Volume::allocationBytes).sum();
            return new StoragePoolUsage(store.getTotalSpace(), allocation, store.getUsableSpace());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path existing(String pool, String name) {
        Path disk = layout.disk(pool, name);
        if (!Files.exists(disk)) {
            throw SkiffException.notFound("name", "volume", name);
        }
        return disk;
    }

    private Volume volume(String pool, String name) {
        Path disk = existing(pool, name);
        try {
            long allocated = Files.size(disk);
            return new Volume(pool, name, disk.toString(), "qcow2", virtualSize(disk), allocated);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean isQcow2(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] magic = in.readNBytes(4);
            return magic.length == 4 && magic[0] == 'Q' && magic[1] == 'F' && magic[2] == 'I' && (magic[3] & 0xff) == 0xfb;
        } catch (IOException e) {
            throw SkiffException.invalid("backingPath", "cannot read backing image " + file + ": " + e.getMessage());
        }
    }

    /** The virtual size from the qcow2 header (big-endian 64-bit at offset 24), without running qemu-img. */
    static long virtualSize(Path qcow2) {
        try (InputStream in = Files.newInputStream(qcow2)) {
            byte[] header = in.readNBytes(32);
            if (header.length < 32 || header[0] != 'Q' || header[1] != 'F' || header[2] != 'I') {
                return Files.size(qcow2);
            }
            long size = 0;
            for (int i = 24; i < 32; i++) {
                size = (size << 8) | (header[i] & 0xff);
            }
            return size;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Directories QEMU (another user under qemu:///system) may traverse but not list. */
    private void mkdirs(Path dir) {
        try {
            Files.createDirectories(dir);
            for (Path p = dir; p != null && p.startsWith(root); p = p.getParent()) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx--x--x"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void run(List<String> command, String failure) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (process.waitFor() != 0) {
                throw new SkiffException(SkiffException.Kind.INTERNAL, "storage-failed", failure + ": " + output, null);
            }
        } catch (IOException e) {
            throw SkiffException.unavailable(failure + ": cannot run " + qemuImg + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SkiffException.unavailable(failure + ": interrupted");
        }
    }

}
