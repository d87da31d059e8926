package io.skiff.cell.internal;

import io.skiff.api.cell.Ack;
import io.skiff.api.cell.CellDisk;
import io.skiff.api.cell.CellInstanceSpec;
import io.skiff.api.cell.InstanceAction;
import io.skiff.api.cell.PreparedDisks;
import io.skiff.api.cell.StoragePoolDefinition;
import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.DomainState;
import io.skiff.api.spi.GuestInitializer;
import io.skiff.api.spi.StorageBackend;
import io.skiff.api.spi.Volume;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * An instance's set of volumes: made from its images (linked clones or full copies) with the instance's file
 * written before the first one (a storage pool the Core defines taken first when the cell did not know it), all given back when one fails; a fresh system disk from the image; and everything
 * deleted with the instance's files, also when the cell has no file of it (a rollback after a crash).
 */
final class InstanceVolumes {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceVolumes.class);

    private final CellInstanceStore files;
    private final CellProviders providers;
    private final ImageCache images;
    private final MediaCache media;
    private final CellDirectories dirs;
    private final Object lock;
    private final Consumer<String> forgotten;
    private final LeaseFiles leases;
    /** Instances whose volumes were refused before anything was made (a provider was absent): nothing to undo. */
    private final Set<String> refusedBeforeAnyVolume = ConcurrentHashMap.newKeySet();

    /**
     * @param lock the cell's instance lock
     * @param forgotten told the id of an instance whose volumes and files are gone (the reporter forgets it)
     * @param leases the instances' lease files, removed with the instance
     */
    InstanceVolumes(CellInstanceStore files, CellProviders providers, ImageCache images, MediaCache media,
                    CellDirectories dirs, Object lock, Consumer<String> forgotten, LeaseFiles leases) {
        this.files = files;
        this.providers = providers;
        this.images = images;
        this.media = media;
        this.dirs = dirs;
        this.lock = lock;
        this.forgotten = forgotten;
        this.leases = leases;
    }

    PreparedDisks prepare(CellInstanceSpec spec) throws Exception {
        List<String> paths = new ArrayList<>();
        List<String> pools = new ArrayList<>();
        try {
            for (CellDisk disk : spec.disks()) {
                providers.takePool(disk.poolDefinition()); // a pool the Core defines that this cell did not know
                providers.storage(providers.poolOf(disk)); // every provider needed is here, before anything is made
            }
        } catch (SkiffException e) {
            refusedBeforeAnyVolume.add(spec.instanceId());
            throw e;
        }
        String consoleLog = dirs.consoleLog(spec.instanceId()).toString();
        // the file first: a crash between a volume and the file must not leave a volume the cell knows nothing of
        files.save(new CellInstanceFile(spec, List.of(), List.of(), consoleLog, false));
        try {
            for (CellDisk disk : spec.disks()) {
                String pool = providers.poolOf(disk);
                String backing = disk.image() == null ? null : backing(pool, disk);
                Volume volume;
                if (backing != null && disk.fullCopy()) {
                    StorageBackend storage = providers.storage(pool);
                    volume = storage.importFile(pool, disk.volume(), Path.of(backing));
                    if (volume.capacityBytes() < disk.sizeBytes()) {
                        volume = storage.resize(pool, disk.volume(), disk.sizeBytes());
                    }
                } else {
                    volume = providers.storage(pool).create(pool, disk.volume(), disk.sizeBytes(), backing);
                }
                paths.add(volume.path());
                pools.add(pool);
            }
        } catch (Exception e) {
            // all-or-nothing within the step: give back the volumes made so far
            for (int i = 0; i < paths.size(); i++) {
                providers.storage(pools.get(i)).delete(pools.get(i), spec.disks().get(i).volume());
            }
            throw e;
        }
        files.save(new CellInstanceFile(spec, paths, pools, consoleLog, false));
        LOG.info("instance {}: {} volume(s) ready", spec.instanceId(), paths.size());
        return new PreparedDisks(paths);
    }

    /**
     * The image file a disk starts from: fetched from the Core into this cell's cache, unless the disk is a linked
     * clone in a pool that holds its own copy of the image already (shared storage: another cell put it there).
     */
    private String backing(String pool, CellDisk disk) throws IOException, InterruptedException {
        String cached = images.cached(disk.image()).toString();
        if (!disk.fullCopy() && providers.storage(pool).holdsImage(pool, cached)) {
            return cached;
        }
        return images.fetch(disk.image()).toString();
    }

    /**
     * Deletes the instance's volumes, seed, console log, lease file and file; volume names derive from the id without
     * a file.
     */
    Ack delete(InstanceAction action) throws IOException {
        String id = action.instanceId();
        Optional<CellInstanceFile> file = files.load(id);
        if (file.isPresent()) {
            List<CellDisk> disks = file.get().spec().disks();
            List<String> pools = new ArrayList<>();
            for (int i = 0; i < disks.size(); i++) {
                pools.add(file.get().volumePools().size() > i ? file.get().volumePools().get(i)
                        : providers.poolOf(disks.get(i)));
                providers.storage(pools.get(i)); // every provider needed is here, before anything is deleted
            }
            for (int i = 0; i < disks.size(); i++) {
                providers.storage(pools.get(i)).delete(pools.get(i), disks.get(i).volume());
            }
        } else if (refusedBeforeAnyVolume.remove(id)) {
            LOG.info("instance {}: no volumes were made, none to delete", id);
        } else {
            // no file: the request may come from a rollback after a crash; volume names derive from the id, and the
            // volumes may be in any pool the cell uses (its default one, or one a disk named, e.g. an NFS pool)
            List<String> pools = providers.pools();
            pools.forEach(providers::storage); // every provider is here, before anything is deleted
            for (String pool : pools) {
                StorageBackend backend = providers.storage(pool);
                for (int i = 0; i < 16; i++) {
                    backend.delete(pool, "skiff-" + id + "-disk" + i);
                }
            }
        }
        GuestInitializer init = providers.initializerIfPresent();
        if (init != null) {
            init.removeSeed(id);
        } else if (file.isPresent() && file.get().spec().guestInit() != null) {
            LOG.warn("instance {}: no guest initializer to remove its seed with", id);
        }
        files.delete(id);
        forgotten.accept(id);
        Files.deleteIfExists(dirs.consoleLog(id));
        leases.delete(id);
        media.forgetSnapshots(id);
        media.removeUnused();
        LOG.info("instance {}: volumes and files deleted", id);
        return new Ack(id, "deleted");
    }

    /** Has this cell's backend of the pool's provider check a storage pool the Core is about to define. */
    Ack checkPool(StoragePoolDefinition definition) {
        return providers.checkPool(definition);
    }

    /** A fresh system disk from the image; the instance is stopped (the Core forced it off first). */
    Ack resetSystemDisk(CellInstanceSpec spec) throws Exception {
        synchronized (lock) {
            CellInstanceFile file = files.require(spec.instanceId());
            if (providers.hypervisor().state(spec.instanceId()) == DomainState.RUNNING) {
                throw SkiffException.conflict("instance", "instance " + spec.instanceId() + " runs; stop it first");
            }
            CellDisk disk = spec.disks().get(0);
            providers.takePool(disk.poolDefinition());
            if (disk.image() == null) {
                throw SkiffException.conflict("instance", "the system disk of " + spec.instanceId()
                        + " has no image");
            }
            String pool = file.volumePools().isEmpty() ? providers.poolOf(disk) : file.volumePools().get(0);
            String backing = images.fetch(disk.image()).toString(); // before anything is deleted
            StorageBackend backend = providers.storage(pool);
            backend.delete(pool, disk.volume());
            Volume volume = backend.create(pool, disk.volume(), disk.sizeBytes(), backing);
            List<String> paths = new ArrayList<>(file.volumes());
            paths.set(0, volume.path());
            files.save(new CellInstanceFile(file.spec(), paths, file.volumePools(), file.consoleLog(),
                    file.defined(), file.consolePassword(), file.mac()));
            LOG.info("instance {}: system disk reinstalled from image {}", spec.instanceId(), disk.image().id());
            return new Ack(spec.instanceId(), "system disk reinstalled");
        }
    }
}
