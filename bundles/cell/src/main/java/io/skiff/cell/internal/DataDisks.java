package io.skiff.cell.internal;

import io.skiff.api.cell.Ack;
import io.skiff.api.cell.CellDisk;
import io.skiff.api.cell.DiskAdd;
import io.skiff.api.cell.DiskRemove;
import io.skiff.api.spi.DiskAttachment;
import io.skiff.api.spi.DomainState;
import io.skiff.api.spi.Hypervisor;
import io.skiff.api.spi.StorageBackend;
import io.skiff.api.spi.Volume;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An instance's data disks (every disk after the system disk): added empty, into the definition and hot-plugged when
 * the domain runs, or nothing at all; removed (detached live, out of the definition, volume deleted).
 */
final class DataDisks {
    private static final Logger LOG = LoggerFactory.getLogger(DataDisks.class);

    private final CellInstanceStore files;
    private final CellProviders providers;
    private final DomainDefinitions domains;
    private final Object lock;

    /** @param lock the cell's instance lock */
    DataDisks(CellInstanceStore files, CellProviders providers, DomainDefinitions domains, Object lock) {
        this.files = files;
        this.providers = providers;
        this.domains = domains;
        this.lock = lock;
    }

    /** Makes an empty data disk, puts it in the definition and, when the domain runs, hot-plugs it. */
    Ack add(DiskAdd request) throws IOException {
        synchronized (lock) {
            String id = request.instanceId();
            CellInstanceFile file = files.require(id);
            CellDisk asked = request.disk();
            Set<String> names = new HashSet<>();
            file.spec().disks().forEach(d -> names.add(d.volume()));
            String volumeName = asked.volume();
            for (int k = file.spec().disks().size(); volumeName == null || names.contains(volumeName); k++) {
                volumeName = "skiff-" + id + "-disk" + k;
            }
            providers.takePool(asked.poolDefinition());
            CellDisk disk = new CellDisk(volumeName, asked.storagePool(), asked.sizeBytes(), null, false,
                    asked.poolDefinition());
            String pool = providers.poolOf(disk);
            StorageBackend storage = providers.storage(pool);
            Volume volume = storage.create(pool, volumeName, disk.sizeBytes(), null);
            List<CellDisk> disks = new ArrayList<>(file.spec().disks());
            disks.add(disk);
            List<String> volumes = new ArrayList<>(file.volumes());
            volumes.add(volume.path());
            List<String> pools = new ArrayList<>(file.volumePools());
            pools.add(pool);
            CellInstanceFile updated = file.withDisks(disks, volumes, pools);
            Hypervisor h = providers.hypervisor();
            String target = null;
            try {
                if (file.defined()) {
                    domains.defineDomain(updated);
                }
                if (h.state(id) == DomainState.RUNNING) {
                    target = h.attachDisk(id, new DiskAttachment(volume.path(), "qcow2", "disk", false),
                            providers.profile(file.spec().profile()).devices());
                }
                files.save(updated);
            } catch (IOException | RuntimeException e) {
                // nothing stays: the old definition and no volume
                try {
                    if (file.defined()) {
                        domains.defineDomain(file);
                    }
                } finally {
                    storage.delete(pool, volumeName);
                }
                LOG.warn("instance {}: data disk {} not added, volume removed: {}", id, volumeName, e.toString());
                throw e;
            }
            LOG.info("instance {}: data disk {} ({} bytes) added {}", id, disks.size() - 1, disk.sizeBytes(),
                    target == null ? "to the definition" : "live as " + target);
            return new Ack(id, target == null ? "offline" : "live " + target);
        }
    }

    /**
     * Detaches a data disk (live when running), takes it out of the definition and deletes its volume.
     *
     * @throws io.skiff.api.service.SkiffException {@code no-such-disk} (field {@code disk}) when the index is the
     *     system disk or past the data disks: a disk that was never added, or is removed already
     */
    Ack remove(DiskRemove request) throws IOException {
        synchronized (lock) {
            String id = request.instanceId();
            CellInstanceFile file = files.require(id);
            int index = request.disk();
            if (index < 1 || index >= file.volumes().size()) {
                throw CellErrors.noSuchDisk("instance " + id + " has data disks 1 to " + (file.volumes().size() - 1)
                        + " (disk 0 is the system disk and stays)");
            }
            Hypervisor h = providers.hypervisor();
            String path = file.volumes().get(index);
            boolean live = h.state(id) == DomainState.RUNNING;
            if (live) {
                h.detachDisk(id, path, Duration.ofSeconds(120));
            }
            List<CellDisk> disks = new ArrayList<>(file.spec().disks());
            CellDisk removed = disks.remove(index);
            List<String> volumes = new ArrayList<>(file.volumes());
            volumes.remove(index);
            List<String> pools = new ArrayList<>(file.volumePools());
            String pool = pools.remove(index);
            CellInstanceFile updated = file.withDisks(disks, volumes, pools);
            if (file.defined()) {
                domains.defineDomain(updated);
            }
            files.save(updated);
            providers.storage(pool).delete(pool, removed.volume());
            LOG.info("instance {}: data disk {} ({}) removed {}", id, index, removed.volume(),
                    live ? "live" : "offline");
            return new Ack(id, live ? "live" : "offline");
        }
    }
}
