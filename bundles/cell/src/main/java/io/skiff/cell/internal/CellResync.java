package io.skiff.cell.internal;

import io.skiff.api.spi.DomainInfo;
import io.skiff.api.spi.Hypervisor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.Set;

/**
 * Compares the cell's files with the hypervisor once it is there: a domain the hypervisor lost is defined again from
 * the file (only if the file still says it is defined, checked under the instance lock), running guests are never
 * touched, and a Skiff domain without a file is only reported (the Core decides about it).
 */
final class CellResync {
    private static final Logger LOG = LoggerFactory.getLogger(CellResync.class);

    private final CellInstanceStore files;
    private final CellProviders providers;
    private final DomainDefinitions domains;
    private final String node;
    private volatile boolean done;

    CellResync(CellInstanceStore files, CellProviders providers, DomainDefinitions domains, String node) {
        this.files = files;
        this.providers = providers;
        this.domains = domains;
        this.node = node;
    }

    /** Re-syncs the first time a hypervisor is there (the reporter calls this before every report). */
    void resyncOnce() {
        if (!done && providers.hypervisorIfPresent() != null) {
            done = true;
            resync();
        }
    }

    /** Compares the cell's files with the hypervisor: lost definitions are redefined, running guests untouched. */
    void resync() {
        Hypervisor h = providers.hypervisorIfPresent();
        if (h == null) {
            return;
        }
        try {
            Set<String> known = new HashSet<>();
            for (CellInstanceFile file : files.all()) {
                String id = file.spec().instanceId();
                known.add(id);
                if (file.defined() && !file.volumes().isEmpty()) {
                    domains.redefineIfLost(h, id);
                }
            }
            for (DomainInfo d : h.domains()) {
                if (!known.contains(d.instanceId())) {
                    LOG.warn("domain of instance {} has no file on this cell; reported, left untouched",
                            d.instanceId());
                }
            }
            LOG.info("cell {}: re-sync done, {} instance(s)", node, known.size());
        } catch (Exception e) {
            LOG.warn("cell {}: re-sync failed: {}", node, e.toString());
        }
    }
}
