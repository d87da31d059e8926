package io.skiff.hypervisor.libvirt.internal;

import io.skiff.api.service.SkiffException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The KVM/TCG decision after the {@code accel} setting, with a stand-in host. */
class AcceleratorChoiceTest {

    static final class FakeHost implements AcceleratorChoice.Host {
        String driver = "QEMU";
        boolean kvmDomainType = true;
        AcceleratorProbe.Result probe = new AcceleratorProbe.Result(true, "ran", Duration.ofMillis(700));
        AcceleratorProbe.Result tcgProbe = new AcceleratorProbe.Result(true, "ran", Duration.ofMillis(1900));
        boolean unreachable;
        String identity = "host 5a1c2e7e-0000-4000-8000-000000000001, QEMU 7.2.0";
        final AtomicInteger probes = new AtomicInteger();

        @Override
        public String identity() {
            return identity;
        }

        @Override
        public String driver() {
            if (unreachable) {
                throw SkiffException.unavailable("libvirt at qemu:///system is unreachable: no socket");
            }
            return driver;
        }

        @Override
        public CapabilitiesDescription capabilities() {
            if (unreachable) {
                throw SkiffException.unavailable("libvirt at qemu:///system is unreachable: no socket");
            }
            return new CapabilitiesDescription(kvmDomainType, List.of("pc", "q35"));
        }

        @Override
        public AcceleratorProbe.Result probe(String domainType) {
            probes.incrementAndGet();
            return domainType.equals("kvm") ? probe : tcgProbe;
        }
    }

    private final FakeHost host = new FakeHost();

    private Accelerator choose(String mode) {
        return new AcceleratorChoice(mode, "qemu:///system", host).get();
    }

    @Test
    void tcgIsTcgWithoutAskingTheHost() {
        host.unreachable = true;
        Accelerator a = choose("tcg");
        assertEquals("tcg", a.name());
        assertEquals("qemu", a.domainType());
    }

    @Test
    void kvmNeedsTheKvmDomainTypeButNoProbe() {
        assertEquals("kvm", choose("kvm").domainType());
        assertEquals(0, host.probes.get());
        host.kvmDomainType = false;
        SkiffException e = assertThrows(SkiffException.class, () -> choose("kvm"));
        assertEquals(SkiffException.Kind.UNAVAILABLE, e.kind());
        assertTrue(e.getMessage().contains("no kvm domain type"), e.getMessage());
    }

    @Test
    void autoTakesKvmOnlyWhenTheProbeGuestRan() {
        Accelerator kvm = choose("auto");
        assertEquals("kvm", kvm.name());
        assertTrue(kvm.reason().contains("700 ms"), kvm.reason());

        host.probe = new AcceleratorProbe.Result(false, "the probe guest does not start: Permission denied",
                Duration.ofMillis(90));
        Accelerator tcg = choose("AUTO");
        assertEquals("tcg", tcg.name());
        assertTrue(tcg.reason().contains("Permission denied"), tcg.reason());
    }

    @Test
    void autoTakesTcgWhenKvmIsNotFasterThanTcg() {
        // as seen on Skiff's nested test machines: KVM 2.9 s, TCG 1.9 s for the same probe guest
        host.probe = new AcceleratorProbe.Result(true, "ran", Duration.ofMillis(2900));
        Accelerator a = choose("auto");
        assertEquals("tcg", a.name());
        assertTrue(a.reason().contains("KVM 2900 ms, TCG 1900 ms"), a.reason());
        host.tcgProbe = new AcceleratorProbe.Result(false, "no qemu", Duration.ofMillis(10));
        assertEquals("kvm", choose("auto").name(), "nothing to compare with: the KVM run counts");
    }

    @Test
    void autoSkipsTheProbeWithoutKvmOrOnOtherDrivers() {
        host.kvmDomainType = false;
        assertEquals("tcg", choose("auto").name());
        host.kvmDomainType = true;
        host.driver = "Test";
        assertTrue(choose("auto").reason().contains("not QEMU"));
        assertEquals(0, host.probes.get());
    }

    @Test
    void decidesOnceAndRetriesWhileLibvirtdIsUnreachable() {
        AcceleratorChoice choice = new AcceleratorChoice("auto", "qemu:///system", host);
        host.unreachable = true;
        assertThrows(SkiffException.class, choice::get);
        assertNull(choice.peek());
        host.unreachable = false;
        assertEquals("kvm", choice.get().name());
        choice.get();
        assertEquals(2, host.probes.get(), "the probes (KVM, then TCG) run once");
    }

    @Test
    void aProbesDecisionIsRememberedForThisHostAndQemuVersion(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("cell").resolve("accelerator.properties");
        Clock clock = Clock.fixed(Instant.parse("2026-12-07T01:00:00Z"), ZoneOffset.UTC);
        host.probe = new AcceleratorProbe.Result(true, "ran", Duration.ofMillis(2900));
        Accelerator probed = new AcceleratorChoice("auto", "qemu:///system", host, new RememberedAccelerator(file),
                clock).get();
        assertEquals("tcg", probed.name());
        assertEquals(2, host.probes.get());
        assertTrue(Files.isRegularFile(file));

        // the next start: no probe
        Accelerator again = new AcceleratorChoice("auto", "qemu:///system", host, new RememberedAccelerator(file),
                clock).get();
        assertEquals("tcg", again.name());
        assertEquals("qemu", again.domainType());
        assertEquals(2, host.probes.get());
        assertTrue(again.reason().startsWith("remembered from the probe of 2026-12-07T01:00:00Z"), again.reason());
        assertTrue(again.reason().contains("KVM 2900 ms, TCG 1900 ms"), again.reason());

        // another QEMU (or a data directory copied to another host): probed again, and the file follows
        host.identity = "host 5a1c2e7e-0000-4000-8000-000000000001, QEMU 8.0.0";
        host.probe = new AcceleratorProbe.Result(true, "ran", Duration.ofMillis(700));
        assertEquals("kvm", new AcceleratorChoice("auto", "qemu:///system", host, new RememberedAccelerator(file),
                clock).get().name());
        assertEquals(4, host.probes.get());
        assertEquals("kvm", new RememberedAccelerator(file).recall(host.identity).name());
    }

    @Test
    void anUnreadableMemoryMeansProbingAgain(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("accelerator.properties");
        Files.writeString(file, "identity=\\u12");
        assertEquals("kvm", new AcceleratorChoice("auto", "qemu:///system", host, new RememberedAccelerator(file),
                Clock.systemUTC()).get().name());
        assertEquals(2, host.probes.get());
        Files.writeString(file, "identity=" + host.identity + "\naccelerator=hvf\n");
        assertNull(new RememberedAccelerator(file).recall(host.identity));
    }

    @Test
    void rejectsUnknownModes() {
        SkiffException e = assertThrows(SkiffException.class, () -> choose("hvf"));
        assertEquals("accel", e.field());
    }
}
