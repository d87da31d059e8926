package io.skiff.cell.internal;

import io.skiff.api.spi.Hypervisor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Whether the cell is ready to run instances, so that it says ONLINE only then: a hypervisor is there and has
 * answered once for its capabilities. The libvirt provider answers only after it has chosen between KVM and TCG,
 * which may take a probe guest's boot (about 13 s under TCG) on a fresh host; without this wait the first instance
 * placed on the cell would wait for that probe. A hypervisor that fails to answer (libvirtd not reachable) still
 * makes the cell ready, as before: the probe has run or cannot run. Once ready, it stays ready.
 */
final class CellReadiness {
    private static final Logger LOG = LoggerFactory.getLogger(CellReadiness.class);

    private final String node;
    private final Supplier<List<Hypervisor>> hypervisors;
    private final LongSupplier nanoTime;
    private final long since;
    private volatile boolean ready;
    private boolean told;

    /** @param hypervisors the hypervisors registered now (none before the provider arrives) */
    CellReadiness(String node, Supplier<List<Hypervisor>> hypervisors, LongSupplier nanoTime) {
        this.node = node;
        this.hypervisors = hypervisors;
        this.nanoTime = nanoTime;
        this.since = nanoTime.getAsLong();
    }

    /** @return whether the cell is ready; may wait for a hypervisor's first answer (call it off the callers' paths) */
    boolean ready() {
        if (ready) {
            return true;
        }
        List<Hypervisor> present = hypervisors.get();
        if (present == null || present.isEmpty()) {
            if (!told) {
                told = true;
                LOG.info("cell {}: waiting for a hypervisor provider before reporting to the Core", node);
            }
            return false;
        }
        for (Hypervisor h : present) {
            try {
                h.capabilities();
            } catch (RuntimeException e) {
                LOG.warn("cell {}: the hypervisor does not answer yet ({}); reporting anyway", node, e.getMessage());
            }
        }
        ready = true;
        LOG.info("cell {}: ready to run instances ({} ms after start: hypervisor and accelerator chosen)", node,
                (nanoTime.getAsLong() - since) / 1_000_000);
        return true;
    }
}
