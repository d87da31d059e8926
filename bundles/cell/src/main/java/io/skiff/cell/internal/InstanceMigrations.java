package io.skiff.cell.internal;

import io.skiff.api.cell.Ack;
import io.skiff.api.cell.CellDisk;
import io.skiff.api.cell.CellInstanceSpec;
import io.skiff.api.cell.CopyRelease;
import io.skiff.api.cell.IncomingMigration;
import io.skiff.api.cell.InstanceAction;
import io.skiff.api.cell.MigrationCompletion;
import io.skiff.api.cell.MigrationSource;
import io.skiff.api.cell.MigrationStatus;
import io.skiff.api.cell.MigrationTarget;
import io.skiff.api.cell.OutgoingMigration;
import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.DomainState;
import io.skiff.api.spi.GuestInitializer;
import io.skiff.api.spi.Hypervisor;
import io.skiff.api.spi.MigrationOutcome;
import io.skiff.api.spi.MigrationPlan;
import io.skiff.api.spi.StorageBackend;
import io.skiff.api.spi.Volume;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

/**
 * The cell's side of moving instances between cells. As the source it describes an instance, runs the migration (live,
 * or cold of a stopped one) in the background (the Core asks for its {@link MigrationStatus}) and releases its copy
 * once the Core has switched the instance over; as the target it prepares the instance's file, volumes (empty, same
 * sizes, unless shared), seed and media, then takes ownership. Every request is idempotent, and a copy whose domain
 * runs is never released.
 */
final class InstanceMigrations {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceMigrations.class);

    private final CellInstanceStore files;
    private final CellProviders providers;
    private final MediaCache media;
    private final CellDirectories dirs;
    private final DomainDefinitions domains;
    private final Object lock;
    private final Consumer<String> forgotten;
    private final ExecutorService runner;
    private final String node;
    private final String hypervisorUri;
    private final String consoleListen;
    private final long bandwidthMiBps;
    private final Map<String, MigrationStatus> statuses = new ConcurrentHashMap<>();

    /**
     * @param runner runs the migrations (one thread each while they last)
     * @param hypervisorUri how other cells' hypervisors reach this one
     * @param consoleListen the address this cell's VNC servers listen on
     * @param bandwidthMiBps the most a migration from this cell may send per second (MiB); 0: no limit
     */
    InstanceMigrations(CellInstanceStore files, CellProviders providers, MediaCache media, CellDirectories dirs,
                       DomainDefinitions domains, Object lock, Consumer<String> forgotten, ExecutorService runner,
                       String node, String hypervisorUri, String consoleListen, long bandwidthMiBps) {
        this.files = files;
        this.providers = providers;
        this.media = media;
        this.dirs = dirs;
        this.domains = domains;
        this.lock = lock;
        this.forgotten = forgotten;
        this.runner = runner;
        this.node = node;
        this.hypervisorUri = hypervisorUri;
        this.consoleListen = consoleListen;
        this.bandwidthMiBps = bandwidthMiBps;
    }

    MigrationSource describe(InstanceAction action) throws IOException {
        CellInstanceFile file = files.require(action.instanceId());
        List<Long> capacities = new ArrayList<>();
        boolean shared = !file.volumes().isEmpty();
        for (int i = 0; i < file.volumes().size(); i++) {
            String pool = poolOf(file, i);
            StorageBackend storage = providers.storage(pool);
            shared &= storage.shared();
            String name = file.spec().disks().get(i).volume();
            capacities.add(storage.find(pool, name).map(Volume::capacityBytes)
                    .orElse(file.spec().disks().get(i).sizeBytes()));
        }
        return new MigrationSource(action.instanceId(), file.volumes(), file.volumePools(), capacities, shared,
                file.mac(), file.consolePassword(), providers.hypervisor().state(action.instanceId()).name());
    }

    /** Makes room for an instance that moves here; a cell that already holds it answers with what it has. */
    MigrationTarget prepare(IncomingMigration request) throws Exception {
        CellInstanceSpec spec = request.spec();
        String id = spec.instanceId();
        MigrationSource source = request.source();
        Optional<CellInstanceFile> existing = files.load(id);
        if (existing.isPresent() && !existing.get().volumes().isEmpty()) {
            return target(existing.get());
        }
        String consoleLog = dirs.consoleLog(id).toString();
        synchronized (lock) {
            files.save(new CellInstanceFile(spec, List.of(), List.of(), consoleLog, false, source.consolePassword(),
                    source.mac()));
        }
        List<String> paths = new ArrayList<>();
        List<String> pools = new ArrayList<>();
        try {
            for (CellDisk disk : spec.disks()) {
                providers.takePool(disk.poolDefinition()); // a storage pool of the Core this cell did not use yet
            }
            for (int i = 0; i < spec.disks().size(); i++) {
                if (source.shared()) {
                    String pool = source.volumePools().get(i);
                    if (!providers.storage(pool).shared()) {
                        throw SkiffException.conflict("cell", "storage pool " + pool + " is not shared storage on"
                                + " cell " + node);
                    }
                    paths.add(source.volumes().get(i));
                    pools.add(pool);
                } else {
                    CellDisk disk = spec.disks().get(i);
                    String pool = providers.poolOf(disk);
                    long size = source.capacities().size() > i ? source.capacities().get(i) : disk.sizeBytes();
                    // empty, the same virtual size: the migration copies the whole chain's content into it
                    Volume volume = providers.storage(pool).create(pool, disk.volume(), size, null);
                    paths.add(volume.path());
                    pools.add(pool);
                }
            }
        } catch (Exception e) {
            if (!source.shared()) {
                for (int i = 0; i < pools.size(); i++) {
                    providers.storage(pools.get(i)).delete(pools.get(i), spec.disks().get(i).volume());
                }
            }
            synchronized (lock) {
                files.delete(id);
            }
            throw e;
        }
        CellInstanceFile file;
        synchronized (lock) {
            file = new CellInstanceFile(spec, paths, pools, consoleLog, false, source.consolePassword(),
                    source.mac());
            files.save(file);
        }
        LOG.info("instance {}: prepared to arrive ({} volume(s), {})", id, paths.size(),
                source.shared() ? "shared" : "empty, to be copied into");
        return target(file);
    }

    /** Where this cell keeps the instance's files; the seed is written and the medium fetched first. */
    private MigrationTarget target(CellInstanceFile file) throws Exception {
        CellInstanceSpec spec = file.spec();
        Files.createDirectories(dirs.console()); // QEMU opens the console log there when the guest arrives
        String seed = null;
        if (spec.guestInit() != null) {
            seed = providers.initializer().prepareSeed(spec.instanceId(), spec.guestInit()).path();
        }
        if (spec.media() != null) {
            media.fetch(spec.media());
        }
        return new MigrationTarget(spec.instanceId(), node, hypervisorUri, file.volumes(), seed, media.pathOf(spec),
                file.consoleLog(), consoleListen);
    }

    /**
     * Starts the migration in the background: live when the domain runs, cold (the guest does not run) when it is
     * stopped; one that runs or succeeded already is not started again.
     */
    Ack start(OutgoingMigration request) throws Exception {
        String id = request.instanceId();
        MigrationStatus now = statuses.get(id);
        if (now != null && MigrationStatus.RUNNING.equals(now.phase())) {
            return new Ack(id, "migrating");
        }
        Hypervisor h = providers.hypervisor();
        DomainState state = h.state(id);
        if (state != DomainState.RUNNING) {
            if (now != null && MigrationStatus.SUCCEEDED.equals(now.phase())) {
                return new Ack(id, "migrated");
            }
            if (state != DomainState.SHUT_OFF) {
                throw SkiffException.conflict("instance", "instance " + id + " is neither running nor stopped on"
                        + " cell " + node + " (" + state.name().toLowerCase() + ")");
            }
        }
        boolean live = state == DomainState.RUNNING;
        CellInstanceFile file = files.require(id);
        MigrationPlan plan = new MigrationPlan(request.target().hypervisorUri(), rewrites(file, request.target()),
                request.target().consoleListen(), request.copyStorage(), bandwidthMiBps, request.tls());
        h.setAutostart(id, false); // a restart of this host must not start the copy that is leaving
        statuses.put(id, new MigrationStatus(id, MigrationStatus.RUNNING, 0, "starting", 0, -1, 0));
        runner.execute(() -> run(h, file, plan));
        LOG.info("instance {}: {} migration to {} ({}{}) started", id, live ? "live" : "cold",
                request.target().node(), plan.targetUri(), plan.tls() ? ", over TLS" : "");
        return new Ack(id, "migrating");
    }

    private void run(Hypervisor h, CellInstanceFile file, MigrationPlan plan) {
        String id = file.spec().instanceId();
        try {
            MigrationOutcome outcome = h.migrate(id, plan, p -> statuses.put(id, new MigrationStatus(id,
                    MigrationStatus.RUNNING, p.percent(), (p.remainingBytes() >> 20) + " MiB of "
                    + (p.totalBytes() >> 20) + " MiB left", p.elapsedMillis(), -1, 0)));
            statuses.put(id, new MigrationStatus(id, MigrationStatus.SUCCEEDED, 100, "migrated",
                    outcome.wallMillis(), outcome.downtimeMillis(), outcome.transferredBytes()));
        } catch (RuntimeException e) {
            LOG.warn("instance {}: migration to {} failed: {}", id, plan.targetUri(), e.getMessage());
            statuses.put(id, new MigrationStatus(id, MigrationStatus.FAILED, 0, e.getMessage(), 0, -1, 0));
            try {
                h.setAutostart(id, file.spec().autoStart());
            } catch (RuntimeException again) {
                LOG.warn("instance {}: autostart not restored: {}", id, again.getMessage());
            }
        }
    }

    /** The paths that differ on the target: volumes, seed, medium, console log. */
    private Map<String, String> rewrites(CellInstanceFile file, MigrationTarget target) throws Exception {
        Map<String, String> paths = new HashMap<>();
        for (int i = 0; i < file.volumes().size() && i < target.volumes().size(); i++) {
            paths.put(file.volumes().get(i), target.volumes().get(i));
        }
        CellInstanceSpec spec = file.spec();
        if (spec.guestInit() != null && target.seedPath() != null) {
            paths.put(providers.initializer().prepareSeed(spec.instanceId(), spec.guestInit()).path(),
                    target.seedPath());
        }
        String mediaPath = media.pathOf(spec);
        if (mediaPath != null && target.mediaPath() != null) {
            paths.put(mediaPath, target.mediaPath());
        }
        paths.put(file.consoleLog(), target.consoleLog());
        paths.entrySet().removeIf(e -> e.getKey().equals(e.getValue()));
        return paths;
    }

    MigrationStatus status(InstanceAction action) {
        return statuses.getOrDefault(action.instanceId(), new MigrationStatus(action.instanceId(),
                MigrationStatus.NONE, 0, "no migration", 0, -1, 0));
    }

    /** The cell owns the instance: its file says defined, its definition is this cell's own (paths, autostart). */
    Ack complete(MigrationCompletion request) throws IOException {
        String id = request.instanceId();
        synchronized (lock) {
            CellInstanceFile file = files.require(id).withDefined(true).withConsolePassword();
            // also a live migration's: the persistent definition becomes the one this cell writes
            domains.defineDomain(file);
            files.save(file);
        }
        statuses.remove(id);
        LOG.info("instance {}: now on this cell", id);
        return new Ack(id, "owned");
    }

    /** Gives up this cell's copy: never while its domain runs here. */
    Ack release(CopyRelease request) throws IOException {
        String id = request.instanceId();
        synchronized (lock) {
            Hypervisor h = providers.hypervisor();
            DomainState state = h.state(id);
            if (state == DomainState.RUNNING || state == DomainState.PAUSED) {
                throw SkiffException.conflict("instance", "the domain of instance " + id + " runs on cell " + node
                        + "; its copy is not released");
            }
            h.undefine(id);
            Optional<CellInstanceFile> file = files.load(id);
            if (file.isPresent() && !request.keepVolumes()) {
                for (int i = 0; i < file.get().volumes().size(); i++) {
                    String pool = poolOf(file.get(), i);
                    providers.storage(pool).delete(pool, file.get().spec().disks().get(i).volume());
                }
            }
            GuestInitializer init = providers.initializerIfPresent();
            if (init != null) {
                init.removeSeed(id);
            }
            files.delete(id);
            Files.deleteIfExists(dirs.consoleLog(id));
        }
        forgotten.accept(id);
        statuses.remove(id);
        media.forgetSnapshots(id);
        media.removeUnused();
        LOG.info("instance {}: copy on this cell released{}", id, request.keepVolumes() ? " (shared volumes kept)"
                : "");
        return new Ack(id, "released");
    }

    /** Resumes the domain if a failed migration left it paused, and gives it back its autostart. */
    Ack recover(InstanceAction action) throws IOException {
        String id = action.instanceId();
        Hypervisor h = providers.hypervisor();
        if (h.state(id) == DomainState.PAUSED) {
            h.resume(id);
        }
        Optional<CellInstanceFile> file = files.load(id);
        if (file.isPresent() && file.get().defined() && h.state(id) != DomainState.UNDEFINED) {
            h.setAutostart(id, file.get().spec().autoStart());
        }
        statuses.remove(id);
        return new Ack(id, "recovered");
    }

    private String poolOf(CellInstanceFile file, int i) {
        return file.volumePools().size() > i ? file.volumePools().get(i)
                : providers.poolOf(file.spec().disks().get(i));
    }
}
