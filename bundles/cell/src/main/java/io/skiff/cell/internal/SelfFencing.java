package io.skiff.cell.internal;

import io.skiff.api.spi.DomainState;
import io.skiff.api.spi.Hypervisor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Self-fencing on isolation: an instance of a failover pool (its spec carries {@code fenceAfterSeconds}) whose cell
 * has not seen the Core for that long is destroyed (forced off, autostart off), because the Core starts it on another
 * cell a safety margin later. Logged as an error and remembered ({@link #fenced()}); never started again here — when
 * the cell is back, the Core decides (it removes the copy when its record names another cell).
 * A cell that has just started does not fence during {@code joinGrace}, the time its transport needs to see the Core
 * again; after that it counts from when the Core was last seen before the restart ({@link CoreContact}). A cell whose
 * own process hangs cannot fence: the storage lease is the second guard.
 *
 * <p>A fence is Skiff's own stop: it is marked in {@link ExpectedStops} before the domain is destroyed, so no restart
 * policy restarts it and the cell does not tell the Core that the guest stopped by itself; and while an instance is
 * past its limit ({@link #holds}), {@link InstanceRestarts} does not start it either.
 *
 * <p>Checked every {@value #CHECK_MILLIS} ms: the fence comes at most that late; while the Core was heard within the
 * last second (the shortest {@code fenceAfterSeconds}) a check reads nothing.
 */
final class SelfFencing {
    /** How often {@link #check} runs. */
    static final long CHECK_MILLIS = 250;
    private static final Logger LOG = LoggerFactory.getLogger(SelfFencing.class);

    private final CoreContact core;
    private final CellInstanceStore files;
    private final Supplier<Hypervisor> hypervisor;
    private final ExpectedStops expected;
    private final Clock clock;
    private final Instant quietUntil;
    private final String node;
    private final Set<String> fenced = ConcurrentHashMap.newKeySet();

    /**
     * @param hypervisor the hypervisor, or {@code null} while there is none
     * @param expected where the fence is marked as Skiff's own stop (shared with the restart policies)
     */
    SelfFencing(CoreContact core, CellInstanceStore files, Supplier<Hypervisor> hypervisor, ExpectedStops expected,
                Clock clock, Duration joinGrace, String node) {
        this.core = core;
        this.files = files;
        this.hypervisor = hypervisor;
        this.expected = expected;
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
            if (without.compareTo(Duration.ofSeconds(1)) < 0) {
                return; // no instance fences sooner (fenceAfterSeconds is at least 1)
            }
            for (CellInstanceFile file : files.all()) {
                Integer after = file.spec().fenceAfterSeconds();
                String id = file.spec().instanceId();
                if (after == null || without.compareTo(Duration.ofSeconds(after)) < 0) {
                    continue;
                }
                DomainState state = h.state(id);
                if (state == DomainState.RUNNING || state == DomainState.PAUSED) {
                    h.setAutostart(id, false);
                    expected.expect(id);
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

    /**
     * @return whether an instance must not be started here now: it is of a failover pool and the cell has not seen
     *     the Core for its {@code fenceAfterSeconds} (the Core may run it elsewhere); a restart policy waits for the
     *     Core. {@code false} when it cannot tell (no file, the Core never seen).
     */
    boolean holds(String instanceId) {
        try {
            Optional<CellInstanceFile> file = files.load(instanceId);
            Integer after = file.map(f -> f.spec().fenceAfterSeconds()).orElse(null);
            Instant seen = core.lastSeen();
            return after != null && seen != null
                    && Duration.between(seen, clock.instant()).compareTo(Duration.ofSeconds(after)) >= 0;
        } catch (IOException | RuntimeException e) {
            LOG.warn("instance {}: whether it is fenced is not known ({}); not started", instanceId, e.toString());
            return true;
        }
    }

    /** @return the instances this cell destroyed since it started, because it had lost the Core */
    Set<String> fenced() {
        return Set.copyOf(fenced);
    }
}
