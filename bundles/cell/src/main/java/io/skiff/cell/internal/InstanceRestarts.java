package io.skiff.cell.internal;

import io.skiff.api.cell.InstanceRestart;
import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.DomainLifecycleEvent;
import io.skiff.api.spi.DomainState;
import io.skiff.api.spi.Hypervisor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Restarts the cell's instances whose guests stop without being asked to, as their restart policy says
 * ({@link RestartPolicies}), after the back-off and within the limit of {@link RestartBackoff}, and tells the Core
 * of each restart, failed start and give-up ({@link InstanceRestart}); the instance's state follows from the next
 * report, which is asked for at once.
 *
 * <p>Driven by the hypervisor's lifecycle events ({@link Hypervisor#watchLifecycle}), so a crash is seen as it
 * happens. A hypervisor that cannot tell of them is polled at every {@link #watch} instead (the report interval):
 * then a guest found shut off after running counts as one that shut down (a crash cannot be told apart), so only
 * {@code always} restarts it, and a stop and start between two polls goes unseen.
 *
 * <p>An instance of a failover pool whose cell has lost the Core for its {@code fenceAfterSeconds} is not restarted
 * ({@link SelfFencing#holds}): the Core may have started it on another cell; a stop the self-fencing did is marked in
 * {@link ExpectedStops} like every stop of Skiff's own.
 */
final class InstanceRestarts implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceRestarts.class);

    /** Starts an instance's domain. */
    @FunctionalInterface
    interface Starter {
        void start(String instanceId) throws Exception;
    }

    private final CellInstanceStore files;
    private final CellProviders providers;
    private final Starter starter;
    private final ExpectedStops expected;
    private final Predicate<String> fenced;
    private final RestartBackoff backoff;
    private final ScheduledExecutorService scheduler;
    private final Consumer<InstanceRestart> tell;
    private final Runnable reportSoon;
    private final Clock clock;
    private final String node;
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    private final Map<String, DomainState> polled = new ConcurrentHashMap<>();
    private Hypervisor watched;
    private AutoCloseable watch;
    private boolean polling;

    /**
     * @param starter starts an instance as a start the Core asks for does ({@link DomainDefinitions#start})
     * @param fenced whether an instance must not be started now because the cell lost the Core
     *     ({@link SelfFencing#holds})
     * @param scheduler where the restarts wait for their back-off and run
     * @param tell how the Core is told (published as {@code cell.instance-restart})
     * @param reportSoon asks for an instances report now
     */
    InstanceRestarts(CellInstanceStore files, CellProviders providers, Starter starter,
                     ExpectedStops expected, Predicate<String> fenced, RestartBackoff backoff,
                     ScheduledExecutorService scheduler, Consumer<InstanceRestart> tell, Runnable reportSoon,
                     Clock clock, String node) {
        this.files = files;
        this.providers = providers;
        this.starter = starter;
        this.expected = expected;
        this.fenced = fenced;
        this.backoff = backoff;
        this.scheduler = scheduler;
        this.tell = tell;
        this.reportSoon = reportSoon;
        this.clock = clock;
        this.node = node;
    }

    /**
     * Listens to the hypervisor there is now (again after it changed), or polls it when it cannot tell of lifecycle
     * changes. Called at every report interval.
     */
    synchronized void watch() {
        Hypervisor h = providers.hypervisorIfPresent();
        if (h != watched) {
            stopWatching();
            watched = h;
            polling = false;
            if (h != null) {
                try {
                    watch = h.watchLifecycle(this::onEvent);
                    LOG.info("cell {}: restart policies follow the hypervisor's lifecycle events", node);
                } catch (SkiffException e) {
                    polling = true;
                    LOG.warn("cell {}: the hypervisor cannot tell of lifecycle changes ({}); restart policies poll "
                            + "the domains' states instead", node, e.getMessage());
                }
            }
        }
        if (polling && h != null) {
            poll(h);
        }
    }

    /** One lifecycle change of a domain (from the hypervisor's event thread: returns at once). */
    void onEvent(DomainLifecycleEvent event) {
        String id = event.instanceId();
        if (event.kind() == DomainLifecycleEvent.Kind.STARTED) {
            expected.clear(id);
            return;
        }
        boolean asked = expected.take(id);
        Optional<CellInstanceFile> file = fileOf(id);
        if (file.isEmpty()) {
            return;
        }
        String policy = file.get().spec().restartPolicy();
        if (!RestartPolicies.restarts(policy, event.kind(), asked)) {
            String why = "not restarted (restart policy " + (policy == null ? "never" : policy)
                    + (asked ? ", stopped by Skiff)" : ")");
            LOG.info("instance {}: {}; {}", id, RestartPolicies.cause(event), why);
            if (!asked && event.kind() != DomainLifecycleEvent.Kind.STOPPED_OTHER) {
                // the guest stopped by itself: the Core's record follows, so that a comeback does not start it
                tell.accept(new InstanceRestart(node, id, clock.instant(), InstanceRestart.STOPPED,
                        RestartPolicies.cause(event), 0, 0, why));
                reportSoon.run();
            }
            return;
        }
        if (fenced.test(id)) {
            LOG.warn("instance {}: {}; not restarted: this cell has lost the Core (self-fencing)", id,
                    RestartPolicies.cause(event));
            return;
        }
        scheduleRestart(id, RestartPolicies.cause(event));
    }

    private void scheduleRestart(String id, String cause) {
        if (!pending.add(id)) {
            return; // one restart at a time: a panic and the stop that follows it are one failure
        }
        OptionalLong delay = backoff.next(id);
        if (delay.isEmpty()) {
            pending.remove(id);
            String why = backoff.limit() + " restarts within " + backoff.window().toMinutes()
                    + " minutes: the instance stays stopped";
            LOG.warn("instance {}: {}; not restarted: {}", id, cause, why);
            tell.accept(new InstanceRestart(node, id, clock.instant(), InstanceRestart.GAVE_UP, cause,
                    backoff.limit() + 1, 0, why));
            reportSoon.run();
            return;
        }
        int attempt = backoff.count(id);
        LOG.info("instance {}: {}; restarting in {} ms (restart {} of at most {} within {} minutes)", id, cause,
                delay.getAsLong(), attempt, backoff.limit(), backoff.window().toMinutes());
        try {
            scheduler.schedule(() -> restart(id, cause, attempt, delay.getAsLong()), delay.getAsLong(),
                    TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            pending.remove(id);
        }
    }

    private void restart(String id, String cause, int attempt, long delay) {
        boolean again = false;
        try {
            Optional<CellInstanceFile> file = fileOf(id);
            String policy = file.map(f -> f.spec().restartPolicy()).orElse(null);
            Hypervisor h = providers.hypervisorIfPresent();
            if (file.isEmpty() || policy == null || "never".equals(policy) || h == null
                    || h.state(id) == DomainState.RUNNING) {
                LOG.info("instance {}: restart no longer needed", id);
                return;
            }
            if (fenced.test(id)) {
                // lost the Core during the back-off: the Core may start it elsewhere; a restart waits for the Core
                LOG.warn("instance {}: not restarted: this cell has lost the Core (self-fencing)", id);
                return;
            }
            starter.start(id);
            LOG.info("instance {}: restarted ({})", id, cause);
            tell.accept(new InstanceRestart(node, id, clock.instant(), InstanceRestart.RESTARTED, cause, attempt,
                    delay, null));
        } catch (Exception e) {
            LOG.warn("instance {}: restart failed: {}", id, e.toString());
            tell.accept(new InstanceRestart(node, id, clock.instant(), InstanceRestart.FAILED, cause, attempt, delay,
                    e.getMessage()));
            again = true;
        } finally {
            pending.remove(id);
            reportSoon.run();
        }
        if (again) {
            scheduleRestart(id, cause);
        }
    }

    /** Without events: a domain found shut off (or crashed) after it ran stopped by itself. */
    private void poll(Hypervisor h) {
        try {
            for (CellInstanceFile file : files.all()) {
                String id = file.spec().instanceId();
                if (!file.defined() || file.spec().restartPolicy() == null) {
                    continue;
                }
                DomainState now = h.state(id);
                DomainState before = polled.put(id, now);
                if (before == DomainState.RUNNING && (now == DomainState.SHUT_OFF || now == DomainState.CRASHED)) {
                    onEvent(new DomainLifecycleEvent(id, now == DomainState.CRASHED ? DomainLifecycleEvent.Kind.CRASHED
                            : DomainLifecycleEvent.Kind.SHUT_DOWN, "seen by polling: " + now));
                } else if (now == DomainState.RUNNING && before != DomainState.RUNNING) {
                    expected.clear(id);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("cell {}: polling the domains' states failed: {}", node, e.toString());
        }
    }

    private Optional<CellInstanceFile> fileOf(String id) {
        try {
            return files.load(id).filter(CellInstanceFile::defined);
        } catch (IOException e) {
            LOG.warn("instance {}: cannot read its file: {}", id, e.toString());
            return Optional.empty();
        }
    }

    /** Forgets an instance whose files were deleted. */
    void forget(String id) {
        backoff.forget(id);
        polled.remove(id);
    }

    private void stopWatching() {
        if (watch != null) {
            try {
                watch.close();
            } catch (Exception e) {
                LOG.debug("cell {}: closing the lifecycle watch failed: {}", node, e.toString());
            }
            watch = null;
        }
    }

    @Override
    public synchronized void close() {
        stopWatching();
        watched = null;
    }
}
