package io.skiff.hypervisor.libvirt.internal;

import io.skiff.api.spi.DiskAttachment;
import io.skiff.api.spi.DomainLifecycleEvent;
import io.skiff.api.spi.DomainLifecycleEvent.Kind;
import io.skiff.api.spi.DomainSpec;
import io.skiff.libvirt.LibvirtConnection;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.libvirt.Connect;
import org.libvirt.event.DomainEventType;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * libvirt's lifecycle events as Skiff's: the translation (a killed QEMU is a crash, a guest's own shutdown is not), and
 * the events themselves from libvirt's test driver ({@code test:///default}, in-process; needs {@code libvirt0}).
 */
@DisplayName("Domain lifecycle events from libvirt")
class DomainLifecycleEventsTest {

    @Test
    void aKilledQemuIsACrashAndAGuestShutdownIsNot() {
        assertEquals(Kind.CRASHED, DomainLifecycleEvents.translate("skiff-i-1", DomainEventType.STOPPED, "FAILED")
                .kind());
        assertEquals(Kind.CRASHED, DomainLifecycleEvents.translate("skiff-i-1", DomainEventType.STOPPED, "CRASHED")
                .kind());
        assertEquals(Kind.SHUT_DOWN, DomainLifecycleEvents.translate("skiff-i-1", DomainEventType.STOPPED, "SHUTDOWN")
                .kind());
        assertEquals(Kind.DESTROYED, DomainLifecycleEvents.translate("skiff-i-1", DomainEventType.STOPPED,
                "DESTROYED").kind());
        assertEquals(Kind.STOPPED_OTHER, DomainLifecycleEvents.translate("skiff-i-1", DomainEventType.STOPPED,
                "MIGRATED").kind());
        assertEquals(Kind.PANICKED, DomainLifecycleEvents.translate("skiff-i-1", DomainEventType.CRASHED, "PANICKED")
                .kind());
        DomainLifecycleEvent started = DomainLifecycleEvents.translate("skiff-i-1", DomainEventType.STARTED, "BOOTED");
        assertEquals("i-1", started.instanceId());
        assertEquals(Kind.STARTED, started.kind());
        assertNull(DomainLifecycleEvents.translate("skiff-i-1", DomainEventType.SUSPENDED, "PAUSED"));
        assertNull(DomainLifecycleEvents.translate("test", DomainEventType.STOPPED, "FAILED"), "not Skiff's");
    }

    @Test
    @DisplayName("test driver: a start and a forced off are told as they happen")
    void theTestDriverTellsOfStartAndDestroy() throws Exception {
        String uri = "test:///default";
        Connect direct = new Connect(uri, false); // keeps the test driver's state between connections
        LibvirtHypervisor hypervisor = new LibvirtHypervisor();
        hypervisor.open(uri, "auto", Duration.ofSeconds(5), LibvirtConnection.LIBVIRT);
        String id = "ev" + UUID.randomUUID().toString().substring(0, 8);
        List<DomainLifecycleEvent> seen = new CopyOnWriteArrayList<>();
        try (AutoCloseable watch = hypervisor.watchLifecycle(seen::add)) {
            hypervisor.define(new DomainSpec(id, id, 1, 256L << 20, DomainXmlTest.LINUX_VIRTIO,
                    List.of(new DiskAttachment("/var/lib/skiff/" + id + ".qcow2", "qcow2", "disk", false)),
                    List.of(), "/tmp/" + id + ".log"));
            hypervisor.start(id);
            hypervisor.destroy(id);
            await().atMost(Duration.ofSeconds(10)).until(() -> seen.stream()
                    .anyMatch(e -> e.instanceId().equals(id) && e.kind() == Kind.DESTROYED));
            assertTrue(seen.stream().anyMatch(e -> e.instanceId().equals(id) && e.kind() == Kind.STARTED),
                    seen.toString());
        } finally {
            hypervisor.undefine(id);
            hypervisor.close();
            direct.close();
        }
    }
}
