package io.skiff.cell.internal;

import io.skiff.api.cell.Ack;
import io.skiff.api.cell.CellDisk;
import io.skiff.api.cell.DiskCapture;
import io.skiff.api.cell.DiskCompact;
import io.skiff.api.cell.DiskResize;
import io.skiff.api.cell.DiskUsage;
import io.skiff.api.cell.DiskUsageRequest;
import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.DomainState;
import io.skiff.api.spi.Hypervisor;
import io.skiff.api.spi.StorageBackend;
import io.skiff.api.spi.Volume;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Work on one existing disk of an instance: resize (grow, live when the domain runs; shrink a stopped one's), how much
 * it holds, compact a stopped one's, and capture a stopped one's as a new image. A disk index the instance does not
 * have is {@code no-such-disk} (field {@code disk}).
 */
final class DiskMaintenance {
    private static final Logger LOG = LoggerFactory.getLogger(DiskMaintenance.class);

    private final CellInstanceStore files;
    private final CellProviders providers;
    private final ImageCache images;
    private final Object lock;

    /** @param lock the cell's instance lock */
    DiskMaintenance(CellInstanceStore files, CellProviders providers, ImageCache images, Object lock) {
        this.files = files;
        this.providers = providers;
        this.images = images;
        this.lock = lock;
    }

    /** One disk of an instance with the backend and volume behind it. */
    private record DiskVolume(CellInstanceFile file, int index, CellDisk disk, String pool, StorageBackend storage,
                              Volume volume) {
    }

    /** @throws SkiffException naming {@code instance}, {@code disk} or the volume when one is not there */
    private DiskVolume diskVolume(String id, int index) throws IOException {
        CellInstanceFile file = files.require(id);
        if (index < 0 || index >= file.volumes().size()) {
            throw CellErrors.noSuchDisk(id, file.volumes().size());
        }
        CellDisk disk = file.spec().disks().get(index);
        String pool = file.volumePools().get(index);
        StorageBackend storage = providers.storage(pool);
        Volume volume = storage.find(pool, disk.volume()).orElseThrow(() -> SkiffException.notFound("disk",
                "volume", disk.volume()));
        return new DiskVolume(file, index, disk, pool, storage, volume);
    }

    /**
     * Grows a disk: live through the hypervisor when the domain runs (the guest sees it), else the volume. Shrinks the
     * volume of a stopped domain, never below where its data ends.
     */
    Ack resize(DiskResize request) throws IOException {
        String id = request.instanceId();
        DiskVolume v = diskVolume(id, request.disk());
        CellInstanceFile file = v.file();
        int index = v.index();
        CellDisk disk = v.disk();
        Volume current = v.volume();
        if (request.sizeBytes() == current.capacityBytes()) {
            throw SkiffException.invalid("sizeBytes", "disk " + index + " is " + current.capacityBytes()
                    + " bytes already");
        }
        Hypervisor h = providers.hypervisor();
        boolean running = h.state(id) == DomainState.RUNNING;
        String how;
        if (request.sizeBytes() < current.capacityBytes()) {
            if (running) {
                throw SkiffException.conflict("instance", "instance " + id + " is running; stop it to shrink disk "
                        + index);
            }
            try {
                v.storage().shrink(v.pool(), disk.volume(), request.sizeBytes());
            } catch (SkiffException e) {
                // the backend names its own parameter; the request's is sizeBytes
                throw "capacityBytes".equals(e.field()) ? SkiffException.invalid("sizeBytes", e.getMessage()) : e;
            }
            how = "shrunk";
        } else if (running) {
            h.resizeDisk(id, file.volumes().get(index), request.sizeBytes());
            how = "live";
        } else {
            v.storage().resize(v.pool(), disk.volume(), request.sizeBytes());
            how = "offline";
        }
        List<CellDisk> disks = new ArrayList<>(file.spec().disks());
        disks.set(index, new CellDisk(disk.volume(), disk.storagePool(), request.sizeBytes(), disk.image(),
                disk.fullCopy()));
        files.save(file.withSpec(file.spec().withDisks(disks)));
        LOG.info("instance {}: disk {} resized ({}) from {} to {} bytes", id, index, how,
                current.capacityBytes(), request.sizeBytes());
        return new Ack(id, how);
    }

    /** One disk's size, the space it takes and where its data ends (what a shrink must keep). */
    DiskUsage usage(DiskUsageRequest request) throws IOException {
        DiskVolume v = diskVolume(request.instanceId(), request.disk());
        return new DiskUsage(request.instanceId(), v.index(), v.volume().capacityBytes(),
                v.volume().allocationBytes(), v.storage().dataEndBytes(v.pool(), v.disk().volume()));
    }

    /** Rewrites a stopped instance's disk without its unused space; detail: bytes on disk before and after. */
    Ack compact(DiskCompact request) throws IOException {
        synchronized (lock) {
            String id = request.instanceId();
            CellInstanceFile file = files.require(id);
            int index = request.disk();
            if (index < 0 || index >= file.volumes().size()) {
                throw CellErrors.noSuchDisk(id, file.volumes().size());
            }
            DomainState state = providers.hypervisor().state(id);
            if (state != DomainState.SHUT_OFF && state != DomainState.UNDEFINED) {
                throw SkiffException.conflict("instance", "instance " + id + " is "
                        + state.name().toLowerCase(Locale.ROOT) + "; stop it to compact a disk (QEMU has it open)");
            }
            CellDisk disk = file.spec().disks().get(index);
            String pool = file.volumePools().get(index);
            StorageBackend storage = providers.storage(pool);
            storage.list(pool); // refreshes what the pool knows of the file
            long before = storage.find(pool, disk.volume()).orElseThrow(() -> SkiffException.notFound("disk",
                    "volume", disk.volume())).allocationBytes();
            Volume after = storage.compact(pool, disk.volume());
            LOG.info("instance {}: disk {} compacted from {} to {} bytes on disk", id, index, before,
                    after.allocationBytes());
            return new Ack(id, before + " " + after.allocationBytes());
        }
    }

    /** Copies a stopped instance's disk into a standalone qcow2 and uploads it to the Core. */
    Ack capture(DiskCapture request) throws Exception {
        String id = request.instanceId();
        CellInstanceFile file = files.require(id);
        if (request.disk() < 0 || request.disk() >= file.volumes().size()) {
            throw CellErrors.noSuchDisk(id, file.volumes().size());
        }
        if (providers.hypervisor().state(id) == DomainState.RUNNING) {
            throw SkiffException.conflict("instance", "instance " + id + " runs; stop it to build an image");
        }
        long bytes = images.capture(file.volumes().get(request.disk()), request.url(), request.token());
        LOG.info("instance {}: disk {} captured and uploaded ({} bytes)", id, request.disk(), bytes);
        return new Ack(id, "captured " + bytes + " bytes");
    }
}
