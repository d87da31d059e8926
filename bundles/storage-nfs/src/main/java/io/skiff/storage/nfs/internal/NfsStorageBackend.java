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
 * The component needs a configuration (there is no default server). It starts even when the export cannot be
 * reached and says why at each use: an unreachable server or a missing export as INVALID naming {@code server} or
 * {@code export}. The pool is declared in the service property {@code skiff.storage.pools} (from the
 * configuration), so the cell sends disks of that pool here.
 */
@Component(service = StorageBackend.class, property = Skiff.PROVIDER_PROPERTY + "=nfs", immediate = true,
        configurationPid = "io.skiff.storage.nfs", configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = NfsStorageConfig.class)
public class NfsStorageBackend implements StorageBackend {
    private static final Logger LOG = LoggerFactory.getLogger(NfsStorageBackend.class);

    private final PoolFiles files;
    private final NfsVolumes volumes;

    @Activate
    public NfsStorageBackend(NfsStorageConfig config) {
        this(NfsSettings.from(config));
    }

    /** A backend outside OSGi (tests, tools), with qemu-img from the PATH. */
    public NfsStorageBackend(NfsSettings settings) {
        this(settings, files(settings), new NfsQemuImg("qemu-img", settings.operationTimeout()));
    }

    NfsStorageBackend(NfsSettings settings, PoolFiles files, NfsQemuImg qemuImg) {
        this.files = files;
        this.volumes = new NfsVolumes(settings.poolName(), files, qemuImg);
        try {
            files.check();
            LOG.info("NFS storage pool {} ready: {} ({} mode)", settings.poolName(), files.location(""),
                    settings.mode());
        } catch (SkiffException e) {
            LOG.warn("NFS storage pool {} at {}:{} is not reachable now, will retry on each use: {}",
                    settings.poolName(), settings.server(), settings.export(), e.getMessage());
        }
    }

    private static PoolFiles files(NfsSettings settings) {
        if (settings.mode() == AccessMode.MOUNT) {
            return new MountedFiles(new NetfsPool(new LibvirtConnection(settings.libvirtUri()), settings));
        }
        return new NfsClientFiles(settings);
    }

    @Deactivate
    void deactivate() {
        files.close();
    }

    /** Every host that uses the export sees the same volumes: a migration moves only the guest's memory. */
    @Override
    public boolean shared() {
        return true;
    }

    @Override
    public Volume create(String pool, String name, long capacityBytes, String backingPath) {
        return volumes.create(pool, name, capacityBytes, backingPath);
    }

    @Override
    public Volume importFile(String pool, String name, Path source) {
        return volumes.importFile(pool, name, source);
    }

    @Override
    public void delete(String pool, String name) {
        volumes.delete(pool, name);
    }

    @Override
    public Volume resize(String pool, String name, long capacityBytes) {
        return volumes.resize(pool, name, capacityBytes);
    }

    @Override
    public Optional<Volume> find(String pool, String name) {
        return volumes.find(pool, name);
    }

    @Override
    public List<Volume> list(String pool) {
        return volumes.list(pool);
    }

    @Override
    public StoragePoolUsage usage(String pool) {
        return volumes.usage(pool);
    }
}
