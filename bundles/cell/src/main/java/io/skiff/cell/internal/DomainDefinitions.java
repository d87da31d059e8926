package io.skiff.cell.internal;

import io.skiff.api.cell.Ack;
import io.skiff.api.cell.CellDisk;
import io.skiff.api.cell.CellInstanceSpec;
import io.skiff.api.cell.InstanceAction;
import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.DiskAttachment;
import io.skiff.api.spi.DomainSpec;
import io.skiff.api.spi.DomainState;
import io.skiff.api.spi.GuestProfile;
import io.skiff.api.spi.Hypervisor;
import io.skiff.api.spi.NicAttachment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The instances' domains: defined from the cell's file (disks, seed, network interface, media drive, console),
 * started, stopped and undefined, and defined again when the hypervisor lost one; with a lease directory each domain
 * holds its instance's storage lease ({@link LeaseFiles}). Every definition and every
 * undefine runs under the cell's instance lock, and the file says whether the domain should exist: the re-sync never
 * defines again what an undefine just removed.
 */
final class DomainDefinitions {
    private static final Logger LOG = LoggerFactory.getLogger(DomainDefinitions.class);

    private final CellInstanceStore files;
    private final CellProviders providers;
    private final MediaCache media;
    private final MacAllocator macs;
    private final Path consoleDir;
    private final String bridge;
    private final String consoleListen;
    private final Object lock;
    private final String node;
    private final LeaseFiles leases;
    private final ExpectedStops expected;

    /**
     * @param bridge the host bridge the instances' interfaces join; blank: no interface
     * @param consoleListen the address the instances' VNC servers listen on
     * @param lock the cell's instance lock
     * @param leases the instances' lease files (each domain holds its instance's lease while it runs)
     * @param expected where the stops Skiff does itself are marked (no restart policy applies to them)
     */
    DomainDefinitions(CellInstanceStore files, CellProviders providers, MediaCache media, MacAllocator macs,
                      CellDirectories dirs, String bridge, String consoleListen, Object lock, String node,
                      LeaseFiles leases, ExpectedStops expected) {
        this.expected = expected;
        this.files = files;
        this.providers = providers;
        this.media = media;
        this.macs = macs;
        this.consoleDir = dirs.console();
        this.bridge = bridge;
        this.consoleListen = consoleListen;
        this.lock = lock;
        this.node = node;
        this.leases = leases;
    }

    /** Defines (or redefines) the domain from the spec the Core sent and the volumes the cell made. */
    Ack define(CellInstanceSpec asked) throws Exception {
        synchronized (lock) {
            CellInstanceFile file = files.load(asked.instanceId()).orElseThrow(() -> SkiffException.conflict(
                    "instance", "cell " + node + " has no volumes for instance " + asked.instanceId()));
            String mac = file.mac() != null || bridge.isBlank() ? file.mac() : macs.newMac();
            CellInstanceSpec spec = withVolumeNames(asked, file.spec());
            if (spec.media() != null) {
                media.fetch(spec.media()); // before the definition names it
            }
            CellInstanceFile updated = new CellInstanceFile(spec, file.volumes(), file.volumePools(),
                    file.consoleLog(), true, file.consolePassword(), mac).withConsolePassword();
            defineDomain(updated);
            files.save(updated);
            return new Ack(spec.instanceId(), "defined");
        }
    }

    /** One define at a time: a request and the re-sync must not race on the same domain. */
    void defineDomain(CellInstanceFile file) throws IOException {
        synchronized (lock) {
            CellInstanceSpec spec = file.spec();
            GuestProfile profile = providers.profile(spec.profile());
            List<DiskAttachment> disks = new ArrayList<>(file.volumes().stream()
                    .map(p -> new DiskAttachment(p, "qcow2", "disk", false)).toList());
            if (spec.guestInit() != null) {
                // the seed (a read-only cdrom after the disks) is rewritten at every definition
                disks.add(providers.initializer().prepareSeed(spec.instanceId(), spec.guestInit()));
            }
            Files.createDirectories(consoleDir);
            Hypervisor h = providers.hypervisor();
            List<NicAttachment> nics = file.mac() == null || bridge.isBlank() ? List.of()
                    : List.of(new NicAttachment(file.mac(), bridge.strip()));
            // every instance has a media drive (after the seed), empty unless the spec names a medium
            DiskAttachment mediaDrive = new DiskAttachment(media.pathOf(spec), "raw", "cdrom", true);
            h.define(new DomainSpec(spec.instanceId(), spec.name(), spec.cores(), spec.memoryBytes(),
                    profile.devices(), disks, nics, file.consoleLog(), consoleListen, file.consolePassword(),
                    spec.qos(), mediaDrive, spec.bootFrom(), leases.prepare(spec.instanceId())));
            h.setAutostart(spec.instanceId(), spec.autoStart());
            LOG.info("instance {}: domain defined ({} cores, {} MiB, profile {})", spec.instanceId(), spec.cores(),
                    spec.memoryBytes() >> 20, spec.profile());
        }
    }

    Ack start(InstanceAction action) throws IOException {
        String id = action.instanceId();
        Hypervisor h = providers.hypervisor();
        if (h.state(id) != DomainState.RUNNING) {
            // defined again from the cell's file first: a domain defined before media drives existed (or reverted to
            // such a snapshot) gets its drive, and the drive holds the instance's medium
            Optional<CellInstanceFile> file = files.load(id);
            if (file.isPresent() && file.get().defined()) {
                defineDomain(file.get());
            }
            h.start(id);
        }
        LOG.info("instance {}: started", id);
        return new Ack(id, "running");
    }

    Ack stop(InstanceAction action) {
        Hypervisor h = providers.hypervisor();
        String id = action.instanceId();
        DomainState state = h.state(id);
        if (state == DomainState.UNDEFINED || state == DomainState.SHUT_OFF) {
            return new Ack(id, "not running");
        }
        expected.expect(id);
        if (action.force()) {
            h.destroy(id);
            LOG.info("instance {}: forced off", id);
            return new Ack(id, "forced off");
        }
        boolean graceful = h.shutdown(id, Duration.ofSeconds(Math.max(1, action.timeoutSeconds())));
        LOG.info("instance {}: {}", id, graceful ? "shut down" : "forced off after " + action.timeoutSeconds() + " s");
        return new Ack(id, graceful ? "shut down" : "forced off after time-out");
    }

    /** Under the instance lock, and the file says so: the re-sync must not define again what was just removed. */
    Ack undefine(InstanceAction action) throws IOException {
        synchronized (lock) {
            String id = action.instanceId();
            Hypervisor h = providers.hypervisor();
            if (h.state(id) == DomainState.RUNNING) {
                expected.expect(id);
            }
            h.destroy(id);
            h.undefine(id);
            Optional<CellInstanceFile> file = files.load(id);
            if (file.isPresent() && file.get().defined()) {
                files.save(file.get().withDefined(false));
            }
            LOG.info("instance {}: domain removed", id);
            return new Ack(id, "undefined");
        }
    }

    /** Defines a domain the hypervisor lost, checked again under the lock that undefining also takes. */
    void redefineIfLost(Hypervisor h, String id) throws IOException {
        synchronized (lock) {
            Optional<CellInstanceFile> current = files.load(id);
            if (current.isEmpty() || !current.get().defined() || current.get().volumes().isEmpty()
                    || h.state(id) != DomainState.UNDEFINED) {
                return;
            }
            LOG.warn("instance {}: the hypervisor lost its domain; defining it again from the cell's file", id);
            CellInstanceFile file = current.get();
            CellInstanceFile withPassword = file.withConsolePassword();
            if (withPassword != file) {
                files.save(withPassword);
            }
            defineDomain(withPassword);
        }
    }

    /**
     * The Core names volumes by disk index; after a data disk was removed the cell's names differ from that, and
     * the cell's (the volumes that exist) win.
     */
    static CellInstanceSpec withVolumeNames(CellInstanceSpec spec, CellInstanceSpec known) {
        if (known == null || spec.disks().size() != known.disks().size()) {
            return spec;
        }
        List<CellDisk> disks = new ArrayList<>();
        for (int i = 0; i < spec.disks().size(); i++) {
            CellDisk d = spec.disks().get(i);
            disks.add(new CellDisk(known.disks().get(i).volume(), d.storagePool(), d.sizeBytes(), d.image(),
                    d.fullCopy()));
        }
        return spec.withDisks(disks);
    }
}
