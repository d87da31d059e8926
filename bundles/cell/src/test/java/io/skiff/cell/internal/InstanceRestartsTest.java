package io.skiff.cell.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skiff.api.cell.CellInstanceSpec;
import io.skiff.api.cell.InstanceRestart;
import io.skiff.api.spi.DomainLifecycleEvent;
import io.skiff.api.spi.DomainLifecycleEvent.Kind;
import io.skiff.api.spi.DomainSpec;
import io.skiff.api.spi.DomainState;
import io.skiff.api.transport.ClusterMember;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cell restarts a guest that stopped as its policy says: after the back-off, through the same start as the Core's,
 * telling the Core each time; never a stop Skiff asked for; and it falls back to polling states when the hypervisor
 * tells of no events. The back-off waits in a queue the test runs.
 */
@DisplayName("The cell's restarts under restart policies (unit)")
class InstanceRestartsTest {

    /** Queues what is scheduled, with its delay, until the test runs it. */
    static final class QueuedScheduler extends ScheduledThreadPoolExecutor {
        final List<Runnable> queued = new ArrayList<>();
        final List<Long> delays = new ArrayList<>();

        QueuedScheduler() {
            super(1);
        }

        @Override
        public synchronized ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            queued.add(command);
            delays.add(unit.toMillis(delay));
            return null;
        }

        @Override
        public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
            throw new UnsupportedOperationException();
        }

        synchronized void runAll() {
            List<Runnable> now = new ArrayList<>(queued);
            queued.clear();
            now.forEach(Runnable::run);
        }
    }

    @TempDir
    Path dir;

    private final FakeHypervisor hypervisor = new FakeHypervisor();
    private final QueuedScheduler scheduler = new QueuedScheduler();
    private final List<InstanceRestart> told = new CopyOnWriteArrayList<>();
    private final ExpectedStops expected = new ExpectedStops();
    private int reports;
    private CellInstanceStore files;
    private InstanceRestarts restarts;
    /** Whether self-fencing holds an instance (set by the tests of fencing). */
    private java.util.function.Predicate<String> fenced = id -> false;

    private void open(boolean events) throws Exception {
        files = new CellInstanceStore(dir, new ObjectMapper()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES));
        CellProviders providers = new CellProviders("cell-1", new CellProviders.Names("libvirt", "local",
                "skiff-local", "qcow2", "nocloud", "dnsmasq"));
        providers.addHypervisor(events ? new EventfulHypervisor() : hypervisor,
                Map.of("skiff.provider", "libvirt", "service.id", 1L));
        restarts = new InstanceRestarts(files, providers, hypervisor::start, expected, id -> fenced.test(id),
                RestartBackoff.standard(Clock.systemUTC()), scheduler, told::add, () -> reports++,
                Clock.systemUTC(), "cell-1");
    }

    /** The fake, able to tell of events (the test sends them itself). */
    private final class EventfulHypervisor extends FakeHypervisor {
        @Override
        public io.skiff.api.spi.DomainState state(String instanceId) {
            return hypervisor.state(instanceId);
        }

        @Override
        public AutoCloseable watchLifecycle(java.util.function.Consumer<DomainLifecycleEvent> listener) {
            return () -> { };
        }
    }

    @AfterEach
    void close() {
        if (restarts != null) {
            restarts.close();
        }
        scheduler.shutdownNow();
    }

    private void instance(String id, String policy, DomainState state) throws Exception {
        instance(id, policy, null, state);
    }

    /** @param fenceAfter set for an instance of a failover pool */
    private void instance(String id, String policy, Integer fenceAfter, DomainState state) throws Exception {
        CellInstanceSpec s = CellFixture.spec(id, 1L << 20);
        files.save(new CellInstanceFile(new CellInstanceSpec(s.instanceId(), s.name(), s.cores(), s.memoryBytes(),
                s.profile(), s.disks(), false, null, null, null, null, null, policy, fenceAfter), List.of("/v/" + id),
                List.of("skiff-local"), null, true));
        hypervisor.define(new DomainSpec(id, id, 1, 1 << 20, null, List.of(), List.of(), null, null, null, null));
        hypervisor.domain(id).state = state;
    }

    @Test
    void aCrashUnderOnFailureIsRestartedAfterOneSecondAndTheCoreIsTold() throws Exception {
        open(true);
        restarts.watch();
        instance("i-1", "on-failure", DomainState.SHUT_OFF);
        restarts.onEvent(new DomainLifecycleEvent("i-1", Kind.CRASHED, "FAILED"));
        assertEquals(List.of(1000L), scheduler.delays);
        restarts.onEvent(new DomainLifecycleEvent("i-1", Kind.PANICKED, "PANICKED")); // the same failure
        assertEquals(1, scheduler.queued.size(), "one restart at a time");
        scheduler.runAll();
        assertEquals(DomainState.RUNNING, hypervisor.state("i-1"));
        assertEquals(1, told.size());
        assertEquals(InstanceRestart.RESTARTED, told.get(0).outcome());
        assertEquals(1, told.get(0).attempt());
        assertTrue(told.get(0).cause().startsWith("QEMU crashed"), told.get(0).cause());
        assertTrue(reports > 0, "the state is reported at once");
    }

    @Test
    void neverAndACleanShutdownUnderOnFailureAreLeftStopped() throws Exception {
        open(true);
        instance("i-1", "never", DomainState.SHUT_OFF);
        instance("i-2", "on-failure", DomainState.SHUT_OFF);
        instance("i-3", null, DomainState.SHUT_OFF);
        restarts.onEvent(new DomainLifecycleEvent("i-1", Kind.CRASHED, "FAILED"));
        restarts.onEvent(new DomainLifecycleEvent("i-2", Kind.SHUT_DOWN, "SHUTDOWN"));
        restarts.onEvent(new DomainLifecycleEvent("i-3", Kind.CRASHED, "CRASHED"));
        restarts.onEvent(new DomainLifecycleEvent("i-9", Kind.CRASHED, "CRASHED")); // no file: not this cell's
        assertTrue(scheduler.queued.isEmpty());
        assertEquals(List.of("i-1", "i-2", "i-3"), told.stream().map(InstanceRestart::instanceId).toList(),
                "the Core is told they stopped by themselves");
        assertTrue(told.stream().allMatch(r -> r.outcome().equals(InstanceRestart.STOPPED)), told.toString());
        assertTrue(told.get(1).detail().contains("restart policy on-failure"), told.get(1).detail());
    }

    @Test
    void alwaysRestartsAGuestThatShutDownButNotAStopSkiffAskedFor() throws Exception {
        open(true);
        instance("i-1", "always", DomainState.SHUT_OFF);
        expected.expect("i-1");
        restarts.onEvent(new DomainLifecycleEvent("i-1", Kind.SHUT_DOWN, "SHUTDOWN"));
        assertTrue(scheduler.queued.isEmpty(), "the Core's stop");
        assertTrue(told.isEmpty(), "nothing to tell of the Core's own stop");
        restarts.onEvent(new DomainLifecycleEvent("i-1", Kind.STARTED, "BOOTED"));
        restarts.onEvent(new DomainLifecycleEvent("i-1", Kind.SHUT_DOWN, "SHUTDOWN"));
        scheduler.runAll();
        assertEquals(DomainState.RUNNING, hypervisor.state("i-1"));
    }

    @Test
    void afterTheLimitTheInstanceStaysStoppedAndTheCoreIsToldWhy() throws Exception {
        open(true);
        instance("i-1", "on-failure", DomainState.SHUT_OFF);
        for (int i = 0; i < 5; i++) {
            restarts.onEvent(new DomainLifecycleEvent("i-1", Kind.CRASHED, "FAILED"));
            scheduler.runAll();
            hypervisor.domain("i-1").state = DomainState.SHUT_OFF;
        }
        assertEquals(List.of(1000L, 2000L, 4000L, 8000L, 16000L), scheduler.delays);
        restarts.onEvent(new DomainLifecycleEvent("i-1", Kind.CRASHED, "FAILED"));
        assertTrue(scheduler.queued.isEmpty());
        InstanceRestart last = told.get(told.size() - 1);
        assertEquals(InstanceRestart.GAVE_UP, last.outcome());
        assertTrue(last.detail().contains("5 restarts within 10 minutes"), last.detail());
        assertEquals(DomainState.SHUT_OFF, hypervisor.state("i-1"));
    }

    @Test
    void aHypervisorWithoutEventsIsPolled() throws Exception {
        open(false);
        instance("i-1", "always", DomainState.RUNNING);
        instance("i-2", "on-failure", DomainState.RUNNING);
        restarts.watch(); // the fake tells of no events: polling
        hypervisor.domain("i-1").state = DomainState.SHUT_OFF;
        hypervisor.domain("i-2").state = DomainState.SHUT_OFF;
        restarts.watch();
        assertEquals(1, scheduler.queued.size(), "a shut-off domain counts as shut down: only always restarts it");
        scheduler.runAll();
        assertEquals(DomainState.RUNNING, hypervisor.state("i-1"));
        assertEquals(DomainState.SHUT_OFF, hypervisor.state("i-2"));
    }

    /** A cell without the Core (clock and cluster view the test moves) and its self-fencing, sharing the marks. */
    private SelfFencing isolatedCell(MovableClock clock, List<ClusterMember>[] view) {
        CoreContact core = new CoreContact(dir.resolve("core-contact"), () -> view[0], clock);
        core.heardFrom("core");
        SelfFencing fencing = new SelfFencing(core, files, () -> hypervisor, expected, clock, Duration.ZERO,
                "cell-1");
        fenced = fencing::holds;
        return fencing;
    }

    @Test
    @SuppressWarnings("unchecked")
    void aFencedDomainIsNeitherRestartedNorToldAsStoppedByItselfEvenWhenPolled() throws Exception {
        open(false); // polling: a domain found shut off after running counts as shut down, which always restarts
        instance("ha-1", "always", 6, DomainState.RUNNING);
        MovableClock clock = new MovableClock(Instant.parse("2026-12-07T06:00:00Z"));
        List<ClusterMember>[] view = new List[] {List.of(SELF, CORE)};
        SelfFencing fencing = isolatedCell(clock, view);
        restarts.watch();
        view[0] = List.of(SELF);
        clock.advance(Duration.ofSeconds(6));
        fencing.check();
        assertEquals(DomainState.SHUT_OFF, hypervisor.state("ha-1"), "fenced");
        restarts.watch();
        assertTrue(scheduler.queued.isEmpty(), "the fence is Skiff's own stop");
        assertTrue(told.isEmpty(), "not told as a guest that stopped by itself (the Core would record it stopped)");

        view[0] = List.of(SELF, CORE); // the Core is back: still never started again by the cell
        clock.advance(Duration.ofSeconds(30));
        restarts.watch();
        assertTrue(scheduler.queued.isEmpty());
        assertEquals(DomainState.SHUT_OFF, hypervisor.state("ha-1"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theFencesDestroyEventIsSkiffsOwnStop() throws Exception {
        open(true);
        instance("ha-1", "always", 6, DomainState.RUNNING);
        MovableClock clock = new MovableClock(Instant.parse("2026-12-07T06:00:00Z"));
        List<ClusterMember>[] view = new List[] {List.of(SELF, CORE)};
        SelfFencing fencing = isolatedCell(clock, view);
        view[0] = List.of(SELF);
        clock.advance(Duration.ofSeconds(7));
        fencing.check();
        restarts.onEvent(new DomainLifecycleEvent("ha-1", Kind.DESTROYED, "DESTROYED"));
        assertTrue(scheduler.queued.isEmpty());
        assertTrue(told.isEmpty());
    }

    @Test
    @SuppressWarnings("unchecked")
    void aCrashWhileTheCellIsPastItsFencingLimitIsNotRestarted() throws Exception {
        open(true);
        instance("ha-1", "on-failure", 6, DomainState.RUNNING);
        instance("plain-1", "on-failure", DomainState.RUNNING);
        MovableClock clock = new MovableClock(Instant.parse("2026-12-07T06:00:00Z"));
        List<ClusterMember>[] view = new List[] {List.of(SELF, CORE)};
        isolatedCell(clock, view);
        view[0] = List.of(SELF);

        // a crash within the limit: a restart is queued, but the limit passes during its back-off
        clock.advance(Duration.ofSeconds(5));
        hypervisor.domain("ha-1").state = DomainState.SHUT_OFF;
        restarts.onEvent(new DomainLifecycleEvent("ha-1", Kind.CRASHED, "FAILED"));
        assertEquals(1, scheduler.queued.size());
        clock.advance(Duration.ofSeconds(1));
        scheduler.runAll();
        assertEquals(DomainState.SHUT_OFF, hypervisor.state("ha-1"), "the Core may have started it elsewhere");

        // a crash past the limit: not even queued; an instance of another pool is restarted as ever
        restarts.onEvent(new DomainLifecycleEvent("ha-1", Kind.CRASHED, "FAILED"));
        hypervisor.domain("plain-1").state = DomainState.SHUT_OFF;
        restarts.onEvent(new DomainLifecycleEvent("plain-1", Kind.CRASHED, "FAILED"));
        assertEquals(1, scheduler.queued.size());
        scheduler.runAll();
        assertEquals(DomainState.SHUT_OFF, hypervisor.state("ha-1"));
        assertEquals(DomainState.RUNNING, hypervisor.state("plain-1"));
        assertEquals(List.of("plain-1"), told.stream().map(InstanceRestart::instanceId).toList());
    }

    private static final ClusterMember CORE = new ClusterMember("core", "10.0.0.1:7800", false);
    private static final ClusterMember SELF = new ClusterMember("cell-1", "10.0.0.2:7800", true);
}
