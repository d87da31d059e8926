package io.skiff.storage.nfs.internal;

import io.skiff.api.Skiff;
import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.StorageBackend;
import io.skiff.api.spi.StoragePoolUsage;
import io.skiff.api.spi.Volume;
import io.skiff.libvirt.LibvirtConnection;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code nfs} storage backend: qcow2 volumes on an NFS export that every host of a cell, and every cell that
 * uses the pool, sees alike, so a guest can start or live-migrate on any of them. Two access modes, chosen by
 * configuration ({@code io.skiff.storage.nfs}):
 * <ul>
 *   <li>{@code libnfs} (default): QEMU's own userspace NFS client. Volumes are {@code nfs://server/export/name.qcow2}
 *   URLs that qemu-img writes and the hypervisor opens as network disks; listing, deleting and free space go through
 *   a Java NFSv3 client. No kernel NFS client and no mount privileges are needed.</li>
 *   <li>{@code mount}: a libvirt {@code netfs} pool that the host's kernel client mounts; volumes are files under the
 *   mount point.</li>
 * </ul>
 * The component needs a configuration (Config Admin PID {@code io.skiff.storage.nfs}). When it names a server, that
 * pool ({@code poolName}) is served and declared in the service property {@code skiff.storage.pools} (from the
 * configuration), so the cell sends disks of that pool here. Without a server it serves only the pools the Core
 * defines ({@code POST /api/v1/storage-pools}), which a cell hands over with their first disk ({@link #definePool});
 * several pools, each with its own server, export and mode, are served at once ({@link NfsPools}). It starts even when
 * an export cannot be reached and says why at each use: an unreachable server or a missing export as INVALID naming
 * {@code server} or {@code export}.
 */
@Component(service = StorageBackend.class, property = Skiff.PROVIDER_PROPERTY + "=nfs", immediate = true,
        configurationPid = "io.skiff.storage.nfs", configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = NfsStorageConfig.class)
public class NfsStorageBackend implements StorageBackend {
    private static final Logger LOG = LoggerFactory.getLogger(NfsStorageBackend.class);

    private final NfsPools pools;

    @Activate
    public NfsStorageBackend(NfsStorageConfig config) {
        this(configured(config), NfsPools.Defaults.from(config));
    }

    /** A backend outside OSGi (tests, tools) serving one pool, with qemu-img from the PATH. */
    public NfsStorageBackend(NfsSettings settings) {
        this(settings, NfsPools.Defaults.of(settings));
    }

    private NfsStorageBackend(NfsSettings settings, NfsPools.Defaults defaults) {
        this.pools = new NfsPools(defaults, settings, settings == null ? null : files(settings),
                settings == null ? null : qemuImg(settings), NfsStorageBackend::files, NfsStorageBackend::qemuImg);
        if (settings == null) {
            LOG.info("NFS storage backend without a configured pool (no server set): it serves the storage pools the "
                    + "Core defines");
        }
    }

    NfsStorageBackend(NfsSettings settings, PoolFiles files, NfsQemuImg qemuImg) {
        this(new NfsPools(NfsPools.Defaults.of(settings), settings, files, qemuImg, s -> files, s -> qemuImg));
    }

    NfsStorageBackend(NfsPools pools) {
        this.pools = pools;
    }

    /** @return the configured pool's settings, or {@code null} when the configuration names no server */
    private static NfsSettings configured(NfsStorageConfig config) {
        return config.server() == null || config.server().isBlank() ? null : NfsSettings.from(config);
    }

    private static PoolFiles files(NfsSettings settings) {
        if (settings.mode() == AccessMode.MOUNT) {
            return new MountedFiles(new NetfsPool(new LibvirtConnection(settings.libvirtUri()), settings));
        }
        return new NfsClientFiles(settings);
    }

    private static NfsQemuImg qemuImg(NfsSettings settings) {
        return new NfsQemuImg("qemu-img", settings.operationTimeout());
    }

    @Deactivate
    void deactivate() {
        pools.close();
    }

    @Override
    public void check(String pool, Map<String, String> settings) {
        pools.check(pool, settings);
    }

    @Override
    public void definePool(String name, Map<String, String> settings) {
        pools.define(name, settings);
    }

    /** Every host that uses the export sees the same volumes: a migration moves only the guest's memory. */
    @Override
    public boolean shared() {
        return true;
    }

    @Override
    public boolean holdsImage(String pool, String backingPath) {
        return pools.volumes(pool).holdsImage(backingPath);
    }

    @Override
    public Volume create(String pool, String name, long capacityBytes, String backingPath) {
        return pools.volumes(pool).create(pool, name, capacityBytes, backingPath);
    }

    @Override
    public Volume importFile(String pool, String name, Path source) {
        return pools.volumes(pool).importFile(pool, name, source);
    }

    @Override
    public void delete(String pool, String name) {
        pools.volumes(pool).delete(pool, name);
    }

    @Override
    public Volume resize(String pool, String name, long capacityBytes) {
        return pools.volumes(pool).resize(pool, name, capacityBytes);
    }

    @Override
    public Optional<Volume> find(String pool, String name) {
        return pools.volumes(pool).find(pool, name);
    }

    @Override
    public List<Volume> list(String pool) {
        return pools.volumes(pool).list(pool);
    }

    @Override
    public StoragePoolUsage usage(String pool) {
        return pools.volumes(pool).usage(pool);
    }
}
