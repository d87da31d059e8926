package io.skiff.cell.internal;

import io.skiff.api.cell.Ack;
import io.skiff.api.cell.MediaChange;
import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.DomainState;
import io.skiff.api.spi.Hypervisor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * The instances' media CD-ROM drives: a medium inserted (fetched into the media cache first) or ejected, live when the
 * domain runs, else in its definition; and after a snapshot revert, the instance's own medium put back (the instance
 * record wins over the snapshot's definition).
 */
final class MediaDrives {
    private static final Logger LOG = LoggerFactory.getLogger(MediaDrives.class);

    private final CellInstanceStore files;
    private final CellProviders providers;
    private final MediaCache media;
    private final DomainDefinitions domains;
    private final Object lock;

    /** @param lock the cell's instance lock */
    MediaDrives(CellInstanceStore files, CellProviders providers, MediaCache media, DomainDefinitions domains,
                Object lock) {
        this.files = files;
        this.providers = providers;
        this.media = media;
        this.domains = domains;
        this.lock = lock;
    }

    /**
     * Inserts (fetching the ISO first) or ejects the medium of the instance's media drive: live when the domain runs,
     * else in its definition (which also gives a domain defined before media drives existed its drive).
     */
    Ack change(MediaChange request) throws Exception {
        synchronized (lock) {
            String id = request.instanceId();
            CellInstanceFile file = files.require(id);
            try {
                String iso = request.media() == null ? null : media.fetch(request.media()).toString();
                CellInstanceFile updated = file.withSpec(file.spec().withMedia(request.media()));
                Hypervisor h = providers.hypervisor();
                boolean live = file.defined() && h.state(id) == DomainState.RUNNING;
                if (live) {
                    h.changeMedia(id, iso);
                    files.save(updated);
                } else {
                    files.save(updated);
                    if (file.defined()) {
                        try {
                            domains.defineDomain(updated);
                        } catch (RuntimeException e) {
                            files.save(file); // the definition did not change: neither does the file
                            throw e;
                        }
                    }
                }
                LOG.info("instance {}: media drive {} ({})", id, iso == null ? "emptied" : "holds " + iso,
                        live ? "live" : "offline");
                return new Ack(id, live ? "live" : "offline");
            } finally {
                media.removeUnused();
            }
        }
    }

    /**
     * Gives the media drive of a reverted instance its current medium again: live when the reverted domain runs,
     * else in the definition.
     *
     * @return what the drive holds now, in words
     */
    String reapply(String id) throws IOException {
        synchronized (lock) {
            CellInstanceFile file = files.require(id);
            String iso = media.pathOf(file.spec());
            Hypervisor h = providers.hypervisor();
            if (h.state(id) == DomainState.RUNNING) {
                try {
                    h.changeMedia(id, iso);
                } catch (SkiffException e) {
                    if (e.kind() != SkiffException.Kind.CONFLICT) {
                        throw e;
                    }
                    // the snapshot predates the media drive: the next start defines the domain with it
                    LOG.warn("instance {}: reverted to a definition without a media drive; it comes back at the "
                            + "next start", id);
                    return "missing until the next start";
                }
            } else if (file.defined()) {
                domains.defineDomain(file);
            }
            return iso == null ? "empty" : "holds " + file.spec().media().id();
        }
    }
}
