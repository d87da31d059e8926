package io.skiff.storage.local.internal;

import io.skiff.libvirt.LibvirtConnection;
import io.skiff.libvirt.LibvirtErrors;
import io.skiff.api.Skiff;
import io.skiff.api.service.SkiffException;
import io.skiff.api.service.SkiffException.Kind;
import io.skiff.api.spi.StorageBackend;
import io.skiff.api.spi.StoragePoolUsage;
import io.skiff.api.spi.Volume;
import io.skiff.storage.support.ImageFormat;
import io.skiff.storage.support.VolumeNames;
import org.libvirt.Connect;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import org.libvirt.StoragePool;
import org.libvirt.StoragePoolInfo;
import org.libvirt.StorageVol;
import org.libvirt.StorageVolInfo;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code local} storage backend: qcow2 volumes ({@code <name>.qcow2}) in a directory that libvirt manages as a
 * {@code dir} storage pool, so libvirt creates, sizes and deletes the files and domains can refer to them by pool.
 * <p>
 * The configured pool is this backend's default (used when a caller passes no pool) and is set up at activation:
 * defined persistently, its directory built, started and marked autostart when that is missing. Other existing
 * libvirt {@code dir} pools may be named too; anything else is refused as not found. When libvirtd is not reachable
 * at activation the backend still starts and sets the pool up on first use. A storage pool of type {@code local} that
 * the Core defines is taken the same way ({@link #definePool}): a {@code dir} pool of that name at its {@code path}
 * (default {@code <karaf.data>/skiff/pools/<name>}) on this host, set up when missing.
 */
@Component(service = StorageBackend.class, property = Skiff.PROVIDER_PROPERTY + "=local", immediate = true,
        configurationPid = "io.skiff.storage.local")
@Designate(ocd = LocalStorageConfig.class)
public class LocalStorageBackend implements StorageBackend {
    private static final Logger LOG = LoggerFactory.getLogger(LocalStorageBackend.class);
    private static final Set<PosixFilePermission> VOLUME_PERMISSIONS = PosixFilePermissions.fromString("rw-------");

    private final LibvirtConnection libvirt;
    private final String defaultPool;
    private final Path defaultPath;
    private final QemuImg qemuImg;
    private final Object poolSetup = new Object();
    /** The pools set up (defined, built, started, autostarted) since the backend started. */
    private final Set<String> readyPools = ConcurrentHashMap.newKeySet();
    /** The directories of the pools this backend sets up: the configured one and those the Core defines. */
    private final Map<String, Path> poolPaths = new ConcurrentHashMap<>();

    @Activate
    public LocalStorageBackend(LocalStorageConfig config) {
        this(new LibvirtConnection(config.uri()), config.poolName(), defaultPath(config.path()), new QemuImg("qemu-img"));
    }

    LocalStorageBackend(LibvirtConnection libvirt, String poolName, Path path, QemuImg qemuImg) {
        if (poolName == null || poolName.isBlank()) {
            throw new IllegalArgumentException("poolName of io.skiff.storage.local must not be empty");
        }
        this.libvirt = libvirt;
        this.defaultPool = poolName.trim();
        this.defaultPath = path;
        this.qemuImg = qemuImg;
        poolPaths.put(defaultPool, path);
        try {
            libvirt.call(c -> {
                ensurePool(c, defaultPool);
                return null;
            });
        } catch (LibvirtException | SkiffException e) {
            LOG.warn("Storage pool {} at {} is not ready, will retry on first use: {}", defaultPool, libvirt.uri(),
                    e.getMessage());
        }
    }

    static Path defaultPath(String configured) {
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured.trim()).toAbsolutePath().normalize();
        }
        String data = System.getProperty("karaf.data", "data");
        return Path.of(data, "skiff", "volumes").toAbsolutePath().normalize();
    }

    @Deactivate
    void deactivate() {
        libvirt.close();
    }

    @Override
    public Volume create(String pool, String name, long capacityBytes, String backingPath) {
        String file = VolumeNames.fileName(name);
        if (capacityBytes < 0 || (capacityBytes == 0 && backingPath == null)) {
            throw SkiffException.invalid("capacityBytes", "volume '" + name + "' needs a positive capacity, not "
                    + capacityBytes);
        }
        long capacity = capacityBytes;
        String backingFormat = null;
        if (backingPath != null) {
            ImageFormat backing = ImageFormat.read(Path.of(backingPath), "backingPath", "backing image");
            backingFormat = backing.format();
            // a clone smaller than its image would hide the image's end from the guest
            capacity = Math.max(capacityBytes, backing.virtualSize());
        }
        String xml = StorageXml.qcow2Volume(file, capacity, backingPath, backingFormat);
        String poolName = poolName(pool);
        return inPool(poolName, "create volume", name, (c, p) -> {
            requireAbsent(p, poolName, name, file);
            StorageVol vol = p.storageVolCreateXML(xml, 0);
            Volume created = toVolume(poolName, name, vol);
            LOG.info("Volume {} created in storage pool {}: {} bytes{}", name, poolName, created.capacityBytes(),
                    backingPath == null ? "" : ", linked clone of " + backingPath);
            return created;
        });
    }

    @Override
    public Volume importFile(String pool, String name, Path source) {
        String file = VolumeNames.fileName(name);
        if (source == null) {
            throw SkiffException.invalid("source", "volume '" + name + "' needs an image file to import");
        }
        ImageFormat image = ImageFormat.read(source, "source", "image file");
        String poolName = poolName(pool);
        Path directory = inPool(poolName, "import volume", name, (c, p) -> {
            requireAbsent(p, poolName, name, file);
            return Path.of(StorageXml.poolPath(p.getXMLDesc(0)));
        });
        Path target = directory.resolve(file);
        Path partial = directory.resolve("." + file + ".part"); // not a volume name: list() never shows it
        if (Files.exists(target)) {
            throw SkiffException.conflict("name", "volume '" + name + "' already exists in storage pool '" + poolName
                    + "' (file " + target + ")");
        }
        try {
            qemuImg.convertToQcow2(source, image.format(), partial, name);
            Files.setPosixFilePermissions(partial, VOLUME_PERMISSIONS);
            Files.move(partial, target); // a rename in the same directory; fails rather than replace a volume
        } catch (FileAlreadyExistsException e) {
            throw SkiffException.conflict("name", "volume '" + name + "' already exists in storage pool '" + poolName
                    + "'");
        } catch (IOException e) {
            throw new SkiffException(Kind.INTERNAL, "storage-failed", "cannot import '" + source + "' as volume '"
                    + name + "' into " + directory + ": " + e, null);
        } finally {
            deleteQuietly(partial);
        }
        Volume imported = inPool(poolName, "import volume", name, (c, p) -> {
            p.refresh(0);
            return toVolume(poolName, name, p.storageVolLookupByName(file));
        });
        LOG.info("Volume {} imported into storage pool {} from {} ({}): {} bytes", name, poolName, source,
                image.format(), imported.capacityBytes());
        return imported;
    }

    @Override
    public void delete(String pool, String name) {
        String file = VolumeNames.fileName(name);
        String poolName = poolName(pool);
        inPool(poolName, "delete volume", name, (c, p) -> {
            Optional<StorageVol> vol = lookupVolume(p, file);
            if (vol.isEmpty()) {
                LOG.debug("Volume {} is not in storage pool {}, nothing to delete", name, poolName);
                return null;
            }
            try {
                vol.get().delete(0);
            } catch (LibvirtException e) {
                if (code(e) != ErrorNumber.VIR_ERR_NO_STORAGE_VOL) {
                    throw e;
                }
            }
            LOG.info("Volume {} deleted from storage pool {}", name, poolName);
            return null;
        });
    }

    @Override
    public Volume resize(String pool, String name, long capacityBytes) {
        String file = VolumeNames.fileName(name);
        String poolName = poolName(pool);
        return inPool(poolName, "resize volume", name, (c, p) -> {
            StorageVol vol = lookupVolume(p, file).orElseThrow(() -> volumeNotFound(poolName, name));
            long current = vol.getInfo().capacity;
            if (capacityBytes < current) {
                throw SkiffException.invalid("capacityBytes", "volume '" + name + "' cannot shrink from " + current
                        + " to " + capacityBytes + " bytes: volumes only grow (shrinking cuts off the guest's data)");
            }
            if (capacityBytes == current) {
                return toVolume(poolName, name, vol);
            }
            vol.resize(capacityBytes, 0);
            LOG.info("Volume {} in storage pool {} grown from {} to {} bytes", name, poolName, current, capacityBytes);
            return toVolume(poolName, name, p.storageVolLookupByName(file));
        });
    }

    @Override
    public long dataEndBytes(String pool, String name) {
        String file = VolumeNames.fileName(name);
        String poolName = poolName(pool);
        Path path = inPool(poolName, "map volume", name, (c, p) ->
                Path.of(lookupVolume(p, file).orElseThrow(() -> volumeNotFound(poolName, name)).getPath()));
        return qemuImg.dataEnd(path, ImageFormat.read(path, "name", "volume").format(), name);
    }

    @Override
    public Volume shrink(String pool, String name, long capacityBytes) {
        String file = VolumeNames.fileName(name);
        String poolName = poolName(pool);
        return inPool(poolName, "shrink volume", name, (c, p) -> {
            StorageVol vol = lookupVolume(p, file).orElseThrow(() -> volumeNotFound(poolName, name));
            long current = vol.getInfo().capacity;
            if (capacityBytes >= current) {
                return toVolume(poolName, name, vol);
            }
            Path path = Path.of(vol.getPath());
            long dataEnd = qemuImg.dataEnd(path, ImageFormat.read(path, "name", "volume").format(), name);
            if (capacityBytes < dataEnd) {
                throw SkiffException.invalid("capacityBytes", "volume '" + name + "' holds data up to byte " + dataEnd
                        + "; it cannot shrink to " + capacityBytes + " bytes (compact gives back unused space instead)");
            }
            vol.resize(capacityBytes, StorageVol.ResizeFlags.SHRINK);
            LOG.info("Volume {} in storage pool {} shrunk from {} to {} bytes (data ends at {})", name, poolName,
                    current, capacityBytes, dataEnd);
            return toVolume(poolName, name, p.storageVolLookupByName(file));
        });
    }

    @Override
    public Volume compact(String pool, String name) {
        String file = VolumeNames.fileName(name);
        String poolName = poolName(pool);
        Path directory = inPool(poolName, "compact volume", name, (c, p) -> {
            lookupVolume(p, file).orElseThrow(() -> volumeNotFound(poolName, name));
            return Path.of(StorageXml.poolPath(p.getXMLDesc(0)));
        });
        Path target = directory.resolve(file);
        ImageFormat image = ImageFormat.read(target, "name", "volume");
        if (!ImageFormat.QCOW2.equals(image.format())) {
            throw SkiffException.invalid("name", "volume '" + name + "' is " + image.format()
                    + "; only qcow2 volumes are compacted");
        }
        Path partial = directory.resolve("." + file + ".compact.part"); // not a volume name: list() never shows it
        try {
            String[] backing = image.hasBackingFile() ? qemuImg.backing(target, name) : null;
            qemuImg.compact(target, partial, backing, name);
            Files.setPosixFilePermissions(partial, VOLUME_PERMISSIONS);
            Files.move(partial, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new SkiffException(Kind.INTERNAL, "storage-failed", "cannot compact volume '" + name + "' in "
                    + directory + ": " + e, null);
        } finally {
            deleteQuietly(partial);
        }
        Volume compacted = inPool(poolName, "compact volume", name, (c, p) -> {
            p.refresh(0);
            return toVolume(poolName, name, p.storageVolLookupByName(file));
        });
        LOG.info("Volume {} in storage pool {} compacted: {} bytes on disk", name, poolName,
                compacted.allocationBytes());
        return compacted;
    }

    @Override
    public Optional<Volume> find(String pool, String name) {
        String file = VolumeNames.fileName(name);
        String poolName = poolName(pool);
        return inPool(poolName, "look up volume", name, (c, p) -> {
            Optional<StorageVol> vol = lookupVolume(p, file);
            return vol.isEmpty() ? Optional.empty() : Optional.of(toVolume(poolName, name, vol.get()));
        });
    }

    @Override
    public List<Volume> list(String pool) {
        String poolName = poolName(pool);
        return inPool(poolName, "list volumes", null, (c, p) -> {
            refreshQuietly(p, poolName); // see files that appeared or went without libvirt
            List<Volume> volumes = new ArrayList<>();
            for (String file : p.listVolumes()) {
                Optional<String> name = VolumeNames.volumeName(file);
                if (name.isPresent()) {
                    Optional<StorageVol> vol = lookupVolume(p, file); // it may have gone since listVolumes
                    if (vol.isPresent()) {
                        volumes.add(toVolume(poolName, name.get(), vol.get()));
                    }
                }
            }
            volumes.sort(Comparator.comparing(Volume::name));
            return volumes;
        });
    }

    @Override
    public StoragePoolUsage usage(String pool) {
        String poolName = poolName(pool);
        return inPool(poolName, "read the usage of", null, (c, p) -> {
            refreshQuietly(p, poolName);
            StoragePoolInfo info = p.getInfo();
            return new StoragePoolUsage(info.capacity, info.allocation, info.available);
        });
    }

    // --- pools

    @Override
    public void definePool(String name, Map<String, String> settings) {
        String configured = settings == null ? null : settings.get("path");
        Path path = configured == null || configured.isBlank()
                ? Path.of(System.getProperty("karaf.data", "data"), "skiff", "pools", name).toAbsolutePath().normalize()
                : Path.of(configured.trim()).toAbsolutePath().normalize();
        Path known = poolPaths.putIfAbsent(name, path);
        if (known != null && !known.equals(path)) {
            throw SkiffException.conflict("path", "storage pool '" + name + "' is at " + known + " on this host, not "
                    + path);
        }
        try {
            libvirt.call(c -> {
                ensurePool(c, name);
                return null;
            });
        } catch (LibvirtException e) {
            throw failure("set up storage pool", name, null, e);
        }
    }

    /** A libvirt operation on one resolved, active pool. */
    @FunctionalInterface
    private interface PoolCall<T> {
        T apply(Connect connect, StoragePool pool) throws LibvirtException;
    }

    private String poolName(String requested) {
        return requested == null || requested.isBlank() ? defaultPool : requested;
    }

    private <T> T inPool(String poolName, String action, String volume, PoolCall<T> call) {
        try {
            return libvirt.call(c -> call.apply(c, pool(c, poolName)));
        } catch (LibvirtException e) {
            throw failure(action, poolName, volume, e);
        }
    }

    private StoragePool pool(Connect c, String poolName) throws LibvirtException {
        boolean isDefault = poolName.equals(defaultPool);
        if (poolPaths.containsKey(poolName) && !readyPools.contains(poolName)) {
            ensurePool(c, poolName);
        }
        StoragePool pool;
        try {
            pool = c.storagePoolLookupByName(poolName);
        } catch (LibvirtException e) {
            if (code(e) == ErrorNumber.VIR_ERR_NO_STORAGE_POOL) {
                throw SkiffException.notFound("pool", "storage pool", poolName);
            }
            throw e;
        }
        if (!isDefault) {
            String type = StorageXml.poolType(pool.getXMLDesc(0));
            if (!"dir".equals(type)) {
                throw new SkiffException(Kind.NOT_FOUND, "not-found", "storage pool '" + poolName + "' is a " + type
                        + " pool, not a local directory pool", "pool");
            }
        }
        if (pool.isActive() == 0) {
            throw SkiffException.unavailable("storage pool '" + poolName + "' is not running (virsh pool-start "
                    + poolName + ")");
        }
        return pool;
    }

    /** Defines, builds, starts and autostarts a pool this backend sets up, each only when missing. */
    private void ensurePool(Connect c, String poolName) throws LibvirtException {
        Path poolPath = poolPaths.get(poolName);
        synchronized (poolSetup) {
            if (readyPools.contains(poolName)) {
                return;
            }
            StoragePool pool;
            boolean defined = false;
            try {
                pool = c.storagePoolLookupByName(poolName);
            } catch (LibvirtException e) {
                if (code(e) != ErrorNumber.VIR_ERR_NO_STORAGE_POOL) {
                    throw e;
                }
                pool = c.storagePoolDefineXML(StorageXml.dirPool(poolName, poolPath.toString()), 0);
                defined = true;
                LOG.info("Storage pool {} defined at {}", poolName, poolPath);
            }
            String xml = pool.getXMLDesc(0);
            String type = StorageXml.poolType(xml);
            if (!"dir".equals(type)) {
                throw new SkiffException(Kind.CONFLICT, "conflict", "libvirt storage pool '" + poolName + "' is a "
                        + type + " pool, not a directory: " + (poolName.equals(defaultPool)
                        ? "set another poolName in io.skiff.storage.local" : "give the storage pool another name"),
                        "pool");
            }
            Path path = Path.of(StorageXml.poolPath(xml));
            if (!defined && !path.equals(poolPath)) {
                LOG.info("Storage pool {} already exists at {}, used as it is (configured path {} ignored)",
                        poolName, path, poolPath);
            }
            if (pool.isActive() == 0) {
                if (defined || !Files.isDirectory(path)) {
                    pool.build(0); // creates the directory (and its parents) with the pool's mode
                    LOG.info("Storage pool {} built: directory {}", poolName, path);
                }
                pool.create(0);
                LOG.info("Storage pool {} started", poolName);
            }
            if (!pool.getAutostart()) {
                pool.setAutostart(1);
            }
            pool.refresh(0);
            warnIfQemuCannotReach(poolName, path);
            readyPools.add(poolName);
        }
    }

    /** QEMU runs as libvirt-qemu: it must be able to traverse every directory above a disk image. */
    private void warnIfQemuCannotReach(String poolName, Path directory) {
        for (Path p = directory.getParent(); p != null; p = p.getParent()) {
            try {
                if (Files.exists(p) && !Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    LOG.warn("Storage pool {}: QEMU (user libvirt-qemu) cannot reach volumes in {} because {} is not "
                            + "searchable by others (chmod o+x {}), or set path in io.skiff.storage.local",
                            poolName, directory, p, p);
                    return;
                }
            } catch (IOException | UnsupportedOperationException e) {
                return;
            }
        }
    }

    private static void refreshQuietly(StoragePool pool, String poolName) {
        try {
            pool.refresh(0);
        } catch (LibvirtException e) {
            // e.g. a volume is being created right now; the last known state is good enough
            LOG.debug("Storage pool {} not refreshed: {}", poolName, e.getMessage());
        }
    }

    // --- volumes

    private static void requireAbsent(StoragePool pool, String poolName, String name, String file)
            throws LibvirtException {
        if (lookupVolume(pool, file).isPresent()) {
            throw SkiffException.conflict("name", "volume '" + name + "' already exists in storage pool '" + poolName
                    + "'");
        }
    }

    private static Optional<StorageVol> lookupVolume(StoragePool pool, String file) throws LibvirtException {
        try {
            return Optional.of(pool.storageVolLookupByName(file));
        } catch (LibvirtException e) {
            if (code(e) == ErrorNumber.VIR_ERR_NO_STORAGE_VOL) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static Volume toVolume(String poolName, String name, StorageVol vol) throws LibvirtException {
        StorageVolInfo info = vol.getInfo();
        String format = StorageXml.volumeFormat(vol.getXMLDesc(0));
        return new Volume(poolName, name, vol.getPath(), format != null ? format : ImageFormat.QCOW2, info.capacity,
                info.allocation);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Leftover {} not deleted: {}", file, e.getMessage());
        }
    }

    // --- errors

    private static ErrorNumber code(LibvirtException e) {
        return e.getError() == null ? ErrorNumber.VIR_ERR_UNKNOWN : e.getError().getCode();
    }

    private static SkiffException volumeNotFound(String poolName, String name) {
        return new SkiffException(Kind.NOT_FOUND, "not-found", "volume '" + name + "' does not exist in storage pool '"
                + poolName + "'", "name");
    }

    private SkiffException failure(String action, String poolName, String volume, LibvirtException e) {
        String what = "cannot " + action + (volume != null ? " '" + volume + "' in" : "") + " storage pool '"
                + poolName + "'";
        String reason = e.getError() != null && e.getError().getMessage() != null ? e.getError().getMessage()
                : e.getMessage();
        ErrorNumber code = code(e);
        if (code == ErrorNumber.VIR_ERR_NO_STORAGE_VOL && volume != null) {
            return volumeNotFound(poolName, volume);
        }
        if (LibvirtErrors.isConnectionError(e)) {
            return SkiffException.unavailable(what + ": libvirt at " + libvirt.uri() + " is not reachable: " + reason);
        }
        if (code == ErrorNumber.VIR_ERR_NO_SUPPORT) {
            return new SkiffException(Kind.UNAVAILABLE, "unsupported", what + ": the libvirt driver of "
                    + libvirt.uri() + " does not support it (" + reason + ")", null);
        }
        LOG.warn("{}: {} ({})", what, reason, code);
        return new SkiffException(Kind.INTERNAL, "storage-failed", what + ": " + reason, null);
    }
}
