package io.skiff.cell.internal;

import io.skiff.api.spi.DomainState;
import io.skiff.api.spi.Hypervisor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Self-fencing on isolation: an instance of a failover pool (its spec carries {@code fenceAfterSeconds}) whose cell
 * has not seen the Core for that long is destroyed (forced off, autostart off), because the Core starts it on another
 * cell a safety margin later. Logged as an error and remembered ({@link #fenced()}); never started again here — when
 * the cell is back, the Core decides (it removes the copy when its record names another cell). Checked every second.
 * A cell that has just started does not fence during {@code joinGrace}, the time its transport needs to see the Core
 * again; after that it counts from when the Core was last seen before the restart ({@link CoreContact}). A cell whose
 * own process hangs cannot fence: the storage lease is the second guard.
 */
final class SelfFencing {
    private static final Logger LOG = LoggerFactory.getLogger(SelfFencing.class);

    private final CoreContact core;
    private final CellInstanceStore files;
    private final Supplier<Hypervisor> hypervisor;
    private final Clock clock;
    private final Instant quietUntil;
    private final String node;
    private final Set<String> fenced = ConcurrentHashMap.newKeySet();

    /** @param hypervisor the hypervisor, or {@code null} while there is none */
    SelfFencing(CoreContact core, CellInstanceStore files, Supplier<Hypervisor> hypervisor, Clock clock,
                Duration joinGrace, String node) {
        this.core = core;
        this.files = files;
        this.hypervisor = hypervisor;
        this.clock = clock;
        this.quietUntil = clock.instant().plus(joinGrace);
        this.node = node;
    }

    /** Destroys what must not run any longer; never throws. */
    void check() {
        try {
            Instant seen = core.lastSeen();
            Instant now = clock.instant();
            Hypervisor h = hypervisor.get();
            if (seen == null || h == null || now.isBefore(quietUntil)) {
                return;
            }
            Duration without = Duration.between(seen, now);
            for (CellInstanceFile file : files.all()) {
                Integer after = file.spec().fenceAfterSeconds();
                String id = file.spec().instanceId();
                if (after == null || without.compareTo(Duration.ofSeconds(after)) < 0) {
                    continue;
                }
                DomainState state = h.state(id);
                if (state == DomainState.RUNNING || state == DomainState.PAUSED) {
                    h.setAutostart(id, false);
                    h.destroy(id);
                    fenced.add(id);
                    LOG.error("SELF-FENCING: cell {} has not seen the Core ({}) for {} ms (limit {} s): destroyed "
                            + "the domain of instance {} ({}), which the Core starts on another cell; it is not "
                            + "started here again", node, core.core(), without.toMillis(), after, id,
                            file.spec().name());
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("SELF-FENCING: cell {} could not check or destroy its failover instances: {}", node,
                    e.toString());
        }
    }

    /** @return the instances this cell destroyed since it started, because it had lost the Core */
    Set<String> fenced() {
        return Set.copyOf(fenced);
    }
}
