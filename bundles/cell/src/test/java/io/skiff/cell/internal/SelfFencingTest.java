package io.skiff.cell.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.skiff.api.cell.CellDisk;
import io.skiff.api.cell.CellInstanceSpec;
import io.skiff.api.spi.DomainState;
import io.skiff.api.transport.ClusterMember;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Self-fencing with a fake clock, a fake cluster view and the fake hypervisor. */
class SelfFencingTest {
    static final Instant T0 = Instant.parse("2026-12-07T06:00:00Z");
    static final ClusterMember CORE = new ClusterMember("core", "10.0.0.1:7800", false);
    static final ClusterMember SELF = new ClusterMember("cell-a", "10.0.0.2:7800", true);

    @TempDir
    Path dir;
    final MovableClock clock = new MovableClock(T0);
    volatile List<ClusterMember> view = List.of(SELF, CORE);
    final FakeHypervisor hypervisor = new FakeHypervisor();
    final ExpectedStops expected = new ExpectedStops();
    CellInstanceStore files;
    CoreContact core;

    @BeforeEach
    void open() throws Exception {
        files = new CellInstanceStore(dir.resolve("instances"), new ObjectMapper());
        core = new CoreContact(dir.resolve("core-contact"), () -> view, clock);
        running("ha-1", 6);
        running("plain-1", null);
    }

    private void running(String id, Integer fenceAfter) throws Exception {
        CellInstanceSpec spec = new CellInstanceSpec(id, "vm-" + id, 1, 256L << 20, "linux-virtio",
                List.of(new CellDisk("skiff-" + id + "-disk0", null, 1L << 30, null)), true, null, null, null, null,
                null, "always", fenceAfter);
        files.save(new CellInstanceFile(spec, List.of("/v/" + id), List.of("nfs"), "/c/" + id + ".log", true));
        hypervisor.addForeign(id, DomainState.RUNNING);
        hypervisor.setAutostart(id, true);
    }

    private SelfFencing fencing() {
        return new SelfFencing(core, files, () -> hypervisor, expected, clock, Duration.ofSeconds(3), "cell-a");
    }

    private void after(Duration d, SelfFencing fencing) {
        clock.advance(d);
        fencing.check();
    }

    @Test
    void destroysOnlyFailoverInstancesOnceTheCoreIsGoneForIsolationSeconds() {
        SelfFencing fencing = fencing();
        core.heardFrom("core");
        after(Duration.ofSeconds(4), fencing);
        view = List.of(SELF);
        after(Duration.ofSeconds(5), fencing);
        after(Duration.ofMillis(999), fencing);
        assertEquals(DomainState.RUNNING, hypervisor.state("ha-1"), "5.999 s without the Core");
        after(Duration.ofMillis(1), fencing);
        assertEquals(DomainState.SHUT_OFF, hypervisor.state("ha-1"), "6 s: fenced");
        assertFalse(hypervisor.domain("ha-1").autostart, "a reboot of the host does not start it");
        assertEquals(DomainState.RUNNING, hypervisor.state("plain-1"), "no failover pool: left alone");
        assertEquals(Set.of("ha-1"), fencing.fenced());
        assertTrue(expected.take("ha-1"), "the fence is Skiff's own stop: no restart policy applies to it");
        assertFalse(expected.take("plain-1"));

        view = List.of(SELF, CORE);
        after(Duration.ofSeconds(10), fencing);
        assertEquals(DomainState.SHUT_OFF, hypervisor.state("ha-1"), "never started again by the cell");
    }

    @Test
    void aFailoverInstanceIsHeldFromRestartsWhileTheCellIsPastItsLimit() {
        SelfFencing fencing = fencing();
        core.heardFrom("core");
        view = List.of(SELF);
        after(Duration.ofSeconds(5), fencing);
        assertFalse(fencing.holds("ha-1"), "5 s without the Core: within the limit");
        after(Duration.ofSeconds(1), fencing);
        assertTrue(fencing.holds("ha-1"), "6 s: the Core may start it elsewhere");
        assertFalse(fencing.holds("plain-1"), "no failover pool: never held");
        assertFalse(fencing.holds("gone"), "no file");
        view = List.of(SELF, CORE);
        assertFalse(fencing.holds("ha-1"), "the Core is back: it decides again");
    }

    @Test
    void aCoreThatStaysInTheViewIsNeverFenced() {
        SelfFencing fencing = fencing();
        core.heardFrom("core");
        for (int i = 0; i < 30; i++) {
            after(Duration.ofSeconds(1), fencing);
        }
        assertEquals(DomainState.RUNNING, hypervisor.state("ha-1"));
    }

    @Test
    void aRestartedCellCountsFromWhenItLastSawTheCoreAfterItsJoinGrace() {
        core.heardFrom("core");
        clock.advance(Duration.ofSeconds(20));
        view = List.of(SELF);
        CoreContact reopened = new CoreContact(dir.resolve("core-contact"), () -> view, clock);
        assertEquals(T0, reopened.lastSeen(), "read back from the file");
        assertEquals("core", reopened.core());
        core = reopened;
        SelfFencing fencing = fencing();
        fencing.check();
        assertEquals(DomainState.RUNNING, hypervisor.state("ha-1"), "within the join grace");
        after(Duration.ofSeconds(3), fencing);
        assertEquals(DomainState.SHUT_OFF, hypervisor.state("ha-1"), "23 s without the Core");
    }

    @Test
    void aCoreThatStopsOnPurposeIsNotCountedAsGoneUntilItIsBack() {
        SelfFencing fencing = fencing();
        core.heardFrom("core");
        core.coreStopping();
        view = List.of(SELF);
        after(Duration.ofSeconds(60), fencing);
        assertEquals(DomainState.RUNNING, hypervisor.state("ha-1"), "a stopped Core fails nothing over");
        CoreContact reopened = new CoreContact(dir.resolve("core-contact"), () -> view, clock);
        assertEquals(clock.instant(), reopened.lastSeen(), "the hold survives a restart of the cell");

        view = List.of(SELF, CORE);
        after(Duration.ofSeconds(1), fencing);
        view = List.of(SELF);
        after(Duration.ofSeconds(6), fencing);
        assertEquals(DomainState.SHUT_OFF, hypervisor.state("ha-1"), "back, then gone for 6 s: fenced");
    }

    @Test
    void aCoreWithHeartbeatsCountsFromItsLastMessageNotFromWhenTheViewLostIt() {
        SelfFencing fencing = fencing();
        core.alive("core");
        // cut off: no more heartbeats, but this cell's view keeps the Core for a while (it agrees on a view later
        // than the Core, which lost this cell at once)
        after(Duration.ofSeconds(5), fencing);
        after(Duration.ofMillis(999), fencing);
        assertEquals(DomainState.RUNNING, hypervisor.state("ha-1"), "5.999 s after the last heartbeat");
        after(Duration.ofMillis(1), fencing);
        assertEquals(DomainState.SHUT_OFF, hypervisor.state("ha-1"), "6 s after it, the Core still in the view");
    }

    @Test
    void aHeartbeatAfterTheCoreSaidItStopsDoesNotEndTheHold() {
        SelfFencing fencing = fencing();
        core.alive("core");
        core.coreStopping();
        core.alive("core"); // handled late, on another thread
        view = List.of(SELF);
        after(Duration.ofSeconds(60), fencing);
        assertEquals(DomainState.RUNNING, hypervisor.state("ha-1"), "held until the Core is back");
        core.coreStarted();
        after(Duration.ofSeconds(6), fencing);
        assertEquals(DomainState.SHUT_OFF, hypervisor.state("ha-1"), "back and silent for 6 s: fenced");
    }

    @Test
    void aCoreOnThisVeryNodeIsAlwaysSeen() {
        view = List.of(SELF);
        SelfFencing fencing = fencing();
        core.heardFrom("cell-a");
        after(Duration.ofSeconds(60), fencing);
        assertEquals(DomainState.RUNNING, hypervisor.state("ha-1"));
    }

    @Test
    void aCellThatNeverKnewACoreDoesNotFence() {
        view = List.of(SELF);
        SelfFencing fencing = fencing();
        after(Duration.ofSeconds(60), fencing);
        assertEquals(DomainState.RUNNING, hypervisor.state("ha-1"));
    }
}
