package io.skiff.hypervisor.libvirt.internal;

import io.skiff.libvirt.LibvirtConnection;
import io.skiff.api.spi.DomainSpec;
import io.skiff.api.spi.DomainState;
import io.skiff.api.spi.DomainStats;
import io.skiff.api.spi.HostCapabilities;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checks against a <b>real libvirtd with QEMU</b> ({@code qemu:///system}), run only on request:
 * {@code mvn -f bundles/hypervisor-libvirt/pom.xml test -Dskiff.qemu.system=true -Dtest=QemuSystemCheckTest}.
 * Needs root, libvirtd and virtlogd running, {@code qemu-system-x86}. Leaves no domain behind.
 */
@EnabledIfSystemProperty(named = "skiff.qemu.system", matches = "true")
@DisplayName("qemu:///system (real libvirtd + QEMU, on request)")
class QemuSystemCheckTest {

    private static final String URI = QemuScratch.URI;

    @Test
    @DisplayName("the probe guest runs to its end under TCG: the probe can tell a running guest")
    void probeGuestRunsUnderTcg() {
        LibvirtConnection connection = new LibvirtConnection(URI);
        try {
            AcceleratorProbe.Result tcg = new AcceleratorProbe(connection, Duration.ofSeconds(30)).probe("qemu");
            System.out.println("TCG probe: " + tcg);
            assertTrue(tcg.works(), tcg.reason());
            AcceleratorProbe.Result kvm = new AcceleratorProbe(connection, Duration.ofSeconds(10)).probe("kvm");
            System.out.println("KVM probe: " + kvm);
        } finally {
            connection.close();
        }
    }

    @Test
    @DisplayName("accel=auto decides, and a disk-less TCG domain starts, is forced off after the shutdown timeout and is undefined")
    void lifecycleOnQemu() throws Exception {
        QemuScratch scratch = QemuScratch.open("check-", "auto", LibvirtConnection.LIBVIRT);
        LibvirtHypervisor hypervisor = scratch.hypervisor();
        String id = scratch.id();
        Path dir = scratch.dir();
        try {
            long t0 = System.nanoTime();
            Accelerator accel = hypervisor.accelerator();
            System.out.println("accel=auto chose " + accel + " in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            HostCapabilities caps = hypervisor.capabilities();
            System.out.println("capabilities: " + caps.hypervisor() + ", " + caps.accelerator() + ", "
                    + caps.cpuCount() + " CPUs, machines " + caps.machineTypes().size());
            assertTrue(caps.machineTypes().contains("pc") && caps.machineTypes().contains("q35"));

            hypervisor.define(new DomainSpec(id, "check <&>", 1, 128L * 1024 * 1024, DomainXmlTest.LINUX_VIRTIO,
                    List.of(), List.of(), dir.resolve("serial.log").toString()));
            hypervisor.start(id);
            assertEquals(DomainState.RUNNING, hypervisor.state(id));
            assertTrue(hypervisor.domains().stream().anyMatch(d -> d.instanceId().equals(id) && d.domainId() > 0));
            DomainStats stats = hypervisor.stats(id);
            System.out.println("stats: " + stats);
            assertTrue(stats.cpuTimeNanos() > 0);
            // no OS answers ACPI here: forced off after the timeout
            long t1 = System.nanoTime();
            assertFalse(hypervisor.shutdown(id, Duration.ofSeconds(2)));
            System.out.println("shutdown forced after " + (System.nanoTime() - t1) / 1_000_000 + " ms");
            assertEquals(DomainState.SHUT_OFF, hypervisor.state(id));
            hypervisor.start(id);
            hypervisor.undefine(id);
            assertEquals(DomainState.UNDEFINED, hypervisor.state(id));
        } finally {
            scratch.close();
        }
    }
}
