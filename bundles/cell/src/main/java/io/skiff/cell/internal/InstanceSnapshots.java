package io.skiff.cell.internal;

import io.skiff.api.cell.Ack;
import io.skiff.api.cell.ImageSource;
import io.skiff.api.cell.InstanceAction;
import io.skiff.api.cell.SnapshotList;
import io.skiff.api.cell.SnapshotRequest;
import io.skiff.api.model.Snapshot;
import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.DomainState;
import io.skiff.api.spi.Hypervisor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Objects;
import java.util.Optional;

/**
 * The instances' snapshots through the snapshot provider, with what the media drives need: the medium a snapshot was
 * taken with stays cached while the instance has snapshots, and a revert puts the instance's own medium back.
 */
final class InstanceSnapshots {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceSnapshots.class);

    private final CellInstanceStore files;
    private final CellProviders providers;
    private final MediaCache media;
    private final MediaDrives drives;

    InstanceSnapshots(CellInstanceStore files, CellProviders providers, MediaCache media, MediaDrives drives) {
        this.files = files;
        this.providers = providers;
        this.media = media;
        this.drives = drives;
    }

    SnapshotList list(InstanceAction action) throws IOException {
        String id = action.instanceId();
        files.require(id);
        return new SnapshotList(id, providers.snapshots().list(id));
    }

    Snapshot create(SnapshotRequest request) throws IOException {
        long started = System.nanoTime();
        CellInstanceFile file = files.require(request.instanceId());
        Snapshot s = providers.snapshots().create(request.instanceId(), request.name(), request.description());
        media.snapshotTaken(request.instanceId(), request.name(), file.spec().media());
        LOG.info("instance {}: snapshot '{}' taken ({}) in {} ms", request.instanceId(), request.name(),
                s.instanceState(), (System.nanoTime() - started) / 1_000_000);
        return s;
    }

    /**
     * Reverts, then gives the media drive the instance's current medium again (the instance record wins over the
     * snapshot's definition, which may name another medium or none): live when the reverted domain runs, else in
     * the definition.
     */
    Ack revert(SnapshotRequest request) throws IOException {
        files.require(request.instanceId());
        providers.snapshots().revert(request.instanceId(), request.name());
        String drive = drives.reapply(request.instanceId());
        LOG.info("instance {}: reverted to snapshot '{}', media drive {}", request.instanceId(), request.name(), drive);
        return new Ack(request.instanceId(), "reverted to " + request.name() + ", media drive " + drive);
    }

    Ack delete(SnapshotRequest request) throws IOException {
        String id = request.instanceId();
        CellInstanceFile file = files.require(id);
        try {
            providers.snapshots().delete(id, request.name());
        } catch (SkiffException e) {
            if (refusedForAnotherMedium(file, request.name())) {
                // libvirt (9.0) deletes a running guest's internal snapshot only while every drive holds what it
                // held at the snapshot; offline it deletes it
                SkiffException refused = SkiffException.conflict("snapshot", "snapshot '" + request.name()
                        + "' was taken with another medium in a CD-ROM drive; libvirt deletes it only while the "
                        + "instance is stopped (stop it, then delete the snapshot)");
                refused.initCause(e);
                throw refused;
            }
            throw e;
        }
        if (providers.snapshots().list(id).isEmpty()) {
            if (media.forgetSnapshots(id)) {
                media.removeUnused(); // the media its snapshots named are not needed any more
            }
        } else {
            media.snapshotDeleted(id, request.name());
        }
        LOG.info("instance {}: snapshot '{}' deleted", id, request.name());
        return new Ack(id, "deleted snapshot " + request.name());
    }

    /**
     * Whether a refused delete is the case libvirt refuses: the instance runs and its media drive holds another medium
     * than when the snapshot was taken (for a snapshot the cell has no note of: the drive or the snapshots held one).
     */
    private boolean refusedForAnotherMedium(CellInstanceFile file, String snapshot) throws IOException {
        String id = file.spec().instanceId();
        Hypervisor h = providers.hypervisorIfPresent();
        if (h == null || h.state(id) != DomainState.RUNNING) {
            return false;
        }
        String now = Optional.ofNullable(file.spec().media()).map(ImageSource::id).orElse(null);
        Optional<MediaCache.SnapshotNote> then = media.snapshotNote(id, snapshot);
        if (then.isPresent()) {
            return !Objects.equals(then.get().mediumId(), now);
        }
        return now != null || !media.heldForSnapshots(id).isEmpty();
    }
}
