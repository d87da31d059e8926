package io.skiff.hypervisor.libvirt.internal;

import io.skiff.libvirt.LibvirtConnection;
import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.DiskAttachment;
import io.skiff.api.spi.DomainInfo;
import io.skiff.api.spi.DomainSpec;
import io.skiff.api.spi.DomainState;
import io.skiff.api.spi.DomainStats;
import io.skiff.api.spi.HostCapabilities;
import io.skiff.api.spi.NicAttachment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.libvirt.Connect;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link LibvirtHypervisor} against <b>libvirt's test driver</b> ({@code test:///default}): an in-process fake
 * hypervisor of libvirt itself, with a running domain of its own named {@code test}. Needs the native libvirt
 * library ({@code libvirt0}), no daemon and no QEMU.
 */
@DisplayName("LibvirtHypervisor on the libvirt test driver (test:///default)")
class LibvirtHypervisorTestDriverTest {

    private static final String URI = "test:///default";

    private LibvirtHypervisor hypervisor;
    /** keeps the test driver's state alive between the hypervisor's connections and lets tests act behind its back */
    private Connect direct;
    private final String prefix = "t" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void open() throws Exception {
        direct = new Connect(URI, false);
        hypervisor = new LibvirtHypervisor();
        hypervisor.open(URI, "auto", Duration.ofSeconds(5), LibvirtConnection.LIBVIRT);
    }

    @AfterEach
    void close() throws Exception {
        for (DomainInfo d : hypervisor.domains()) {
            hypervisor.undefine(d.instanceId());
        }
        hypervisor.close();
        direct.close();
    }

    private DomainSpec spec(String id, int cores) {
        return new DomainSpec(id, "name of " + id, cores, 256L * 1024 * 1024, DomainXmlTest.LINUX_VIRTIO,
                List.of(new DiskAttachment("/var/lib/skiff/" + id + ".qcow2", "qcow2", "disk", false)),
                List.of(new NicAttachment("52:54:00:00:00:01", "br0")), "/tmp/" + id + ".log");
    }

    @Test
    @DisplayName("test driver: define, start, state, stats, shutdown, undefine")
    void lifecycle() {
        String id = prefix + "-life";
        assertEquals(DomainState.UNDEFINED, hypervisor.state(id));
        hypervisor.define(spec(id, 2));
        assertEquals(DomainState.SHUT_OFF, hypervisor.state(id));
        hypervisor.start(id);
        assertEquals(DomainState.RUNNING, hypervisor.state(id));
        hypervisor.start(id); // already running: no error

        DomainStats stats = hypervisor.stats(id);
        assertTrue(stats.cpuTimeNanos() >= 0);
        assertTrue(stats.memoryBytes() > 0, "memory " + stats.memoryBytes());

        assertTrue(hypervisor.shutdown(id, Duration.ofSeconds(5)), "the test driver shuts down at once");
        assertEquals(DomainState.SHUT_OFF, hypervisor.state(id));
        assertTrue(hypervisor.shutdown(id, Duration.ofSeconds(1)), "already off");
        hypervisor.undefine(id);
        assertEquals(DomainState.UNDEFINED, hypervisor.state(id));
    }

    @Test
    @DisplayName("test driver: domain is named skiff-<id>, tagged, persistent, TCG")
    void definedDomainCarriesTheTag() throws Exception {
        String id = prefix + "-tag";
        hypervisor.define(spec(id, 1));
        org.libvirt.Domain d = direct.domainLookupByName("skiff-" + id);
        assertEquals(1, d.isPersistent());
        String xml = d.getXMLDesc(0);
        DomainDescription description = DomainDescription.parse(xml);
        assertEquals(id, description.instanceId());
        assertEquals("name of " + id, description.displayName());
        assertTrue(xml.contains("type='qemu'"), "TCG on the test driver: " + xml.lines().findFirst().orElse(""));
        d.free();
    }

    @Test
    @DisplayName("test driver: redefining keeps the UUID and applies the new spec")
    void redefine() throws Exception {
        String id = prefix + "-redef";
        hypervisor.define(spec(id, 1));
        org.libvirt.Domain before = direct.domainLookupByName("skiff-" + id);
        String uuid = before.getUUIDString();
        before.free();
        hypervisor.define(spec(id, 3));
        org.libvirt.Domain after = direct.domainLookupByName("skiff-" + id);
        assertEquals(uuid, after.getUUIDString());
        assertEquals(3, after.getInfo().nrVirtCpu);
        after.free();
        assertEquals(1, hypervisor.domains().stream().filter(d -> d.instanceId().equals(id)).count());
    }

    @Test
    @DisplayName("test driver: domains() lists only Skiff's, not the driver's own 'test' nor untagged skiff-*")
    void domainsListsOnlySkiffOwned() throws Exception {
        String a = prefix + "-a";
        String b = prefix + "-b";
        hypervisor.define(spec(a, 1));
        hypervisor.define(spec(b, 1));
        hypervisor.start(b);
        String foreign = "skiff-" + prefix + "-foreign";
        direct.domainDefineXML("<domain type='test'><name>" + foreign + "</name><memory>65536</memory>"
                + "<os><type>hvm</type></os></domain>").free();
        try {
            List<DomainInfo> domains = hypervisor.domains();
            List<String> ids = domains.stream().map(DomainInfo::instanceId).toList();
            assertTrue(ids.contains(a) && ids.contains(b), ids.toString());
            assertFalse(ids.contains("test") || ids.stream().anyMatch(i -> i.endsWith("-foreign")), ids.toString());
            DomainInfo running = domains.stream().filter(d -> d.instanceId().equals(b)).findFirst().orElseThrow();
            assertEquals(DomainState.RUNNING, running.state());
            assertTrue(running.domainId() > 0);
            DomainInfo off = domains.stream().filter(d -> d.instanceId().equals(a)).findFirst().orElseThrow();
            assertEquals(-1, off.domainId());

            // the untagged skiff-* domain is left alone
            String foreignId = prefix + "-foreign";
            assertEquals(DomainState.UNDEFINED, hypervisor.state(foreignId));
            assertKind(SkiffException.Kind.CONFLICT, () -> hypervisor.undefine(foreignId));
            assertKind(SkiffException.Kind.CONFLICT, () -> hypervisor.define(spec(foreignId, 1)));
            assertEquals(1, direct.domainLookupByName(foreign).isPersistent());
            // the driver's own domain is untouched and still running
            assertEquals(1, direct.domainLookupByName("test").isActive());
        } finally {
            direct.domainLookupByName(foreign).undefine();
        }
    }

    @Test
    @DisplayName("test driver: destroy and undefine tolerate missing and stopped domains")
    void tolerantDestroyAndUndefine() {
        String id = prefix + "-tol";
        hypervisor.destroy(id);
        hypervisor.undefine(id);
        hypervisor.define(spec(id, 1));
        hypervisor.destroy(id); // defined, not running
        hypervisor.start(id);
        hypervisor.destroy(id);
        assertEquals(DomainState.SHUT_OFF, hypervisor.state(id));
        hypervisor.start(id);
        hypervisor.undefine(id); // running: destroyed first, not left as a transient domain
        assertEquals(DomainState.UNDEFINED, hypervisor.state(id));
        hypervisor.undefine(id);
    }

    @Test
    @DisplayName("test driver: errors name the instance and libvirt's reason")
    void errors() {
        String id = prefix + "-missing";
        SkiffException notFound = assertKind(SkiffException.Kind.NOT_FOUND, () -> hypervisor.start(id));
        assertTrue(notFound.getMessage().contains(id), notFound.getMessage());
        assertKind(SkiffException.Kind.NOT_FOUND, () -> hypervisor.setAutostart(id, true));
        assertKind(SkiffException.Kind.NOT_FOUND, () -> hypervisor.stats(id));
        assertKind(SkiffException.Kind.INVALID, () -> hypervisor.start("../x"));

        String stopped = prefix + "-stopped";
        hypervisor.define(spec(stopped, 1));
        SkiffException conflict = assertKind(SkiffException.Kind.CONFLICT, () -> hypervisor.stats(stopped));
        assertTrue(conflict.getMessage().contains("not running"), conflict.getMessage());
    }

    @Test
    @DisplayName("test driver: autostart")
    void autostart() throws Exception {
        String id = prefix + "-auto";
        hypervisor.define(spec(id, 1));
        hypervisor.setAutostart(id, true);
        assertTrue(direct.domainLookupByName("skiff-" + id).getAutostart());
        hypervisor.setAutostart(id, false);
        assertFalse(direct.domainLookupByName("skiff-" + id).getAutostart());
    }

    @Test
    @DisplayName("test driver: names and paths with XML specials survive the round trip")
    void escaping() throws Exception {
        String id = prefix + "-esc";
        String name = "<b>&\"q\" 'x' ]]> \u4e2d";
        hypervisor.define(new DomainSpec(id, name, 1, 64L * 1024 * 1024, DomainXmlTest.WINDOWS,
                List.of(new DiskAttachment("/var/lib/skiff/a&b <c>.qcow2", "qcow2", "disk", false)),
                List.of(), "/tmp/x&y.log"));
        DomainDescription d = DomainDescription.parse(direct.domainLookupByName("skiff-" + id).getXMLDesc(0));
        assertEquals(name, d.displayName());
        assertEquals(List.of("sda"), d.diskTargets());
    }

    @Test
    @DisplayName("test driver: capabilities report TCG (accel=auto on a non-QEMU driver) and machine types")
    void capabilities() {
        HostCapabilities caps = hypervisor.capabilities();
        assertEquals("tcg", caps.accelerator());
        assertTrue(caps.cpuCount() > 0);
        assertTrue(caps.memoryBytes() > 0);
        assertTrue(caps.hypervisor().startsWith("TEST") || caps.hypervisor().startsWith("Test"), caps.hypervisor());
        assertEquals("tcg", hypervisor.accelerator().name());
    }

    @Test
    @DisplayName("test driver: accel=kvm fails clearly where libvirt offers no kvm domain type")
    void kvmRequiredButMissing() {
        LibvirtHypervisor kvm = new LibvirtHypervisor();
        kvm.open(URI, "kvm", Duration.ofSeconds(5), LibvirtConnection.LIBVIRT);
        try {
            SkiffException e = assertKind(SkiffException.Kind.UNAVAILABLE, () -> kvm.define(spec(prefix + "-k", 1)));
            assertTrue(e.getMessage().contains("kvm"), e.getMessage());
            assertEquals(DomainState.UNDEFINED, kvm.state(prefix + "-k"));
        } finally {
            kvm.close();
        }
    }

    @Test
    @DisplayName("test driver: unreachable libvirt is UNAVAILABLE")
    void unreachable() {
        LibvirtHypervisor broken = new LibvirtHypervisor();
        broken.open("test:///no/such/file.xml", "tcg", Duration.ofSeconds(1), LibvirtConnection.LIBVIRT);
        try {
            SkiffException e = assertKind(SkiffException.Kind.UNAVAILABLE, () -> broken.domains());
            assertTrue(e.getMessage().contains("test:///no/such/file.xml"), e.getMessage());
        } finally {
            broken.close();
        }
    }

    @Test
    @DisplayName("test driver: parallel calls share one connection")
    void parallelCalls() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String id = prefix + "-p" + i;
                futures.add(pool.submit(() -> {
                    hypervisor.define(spec(id, 1));
                    hypervisor.start(id);
                    hypervisor.stats(id);
                    hypervisor.destroy(id);
                    hypervisor.undefine(id);
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, hypervisor.connection().openedCount());
        assertNotEquals(0, direct.numOfDomains(), "the driver's own domain is still there");
        assertTrue(hypervisor.domains().stream().noneMatch(d -> d.instanceId().startsWith(prefix + "-p")));
    }

    private static SkiffException assertKind(SkiffException.Kind kind, org.junit.jupiter.api.function.Executable call) {
        SkiffException e = assertThrows(SkiffException.class, call);
        assertEquals(kind, e.kind(), e.getMessage());
        return e;
    }
}
