package io.skiff.hypervisor.libvirt.internal;

import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.DiskAttachment;
import io.skiff.api.spi.DomainSpec;
import io.skiff.api.spi.DomainState;
import io.skiff.libvirt.LibvirtConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link OwnedDomains} and the capability classes built on it ({@link PersistentDomains}, {@link DomainPower},
 * {@link LiveDisks}, {@link DomainMedia}) on libvirt's test driver ({@code test:///default}), one connection. The
 * test driver cannot hot-plug devices: what changes a running domain's devices is checked on {@code qemu:///system}
 * in {@link LiveDevicesQemuTest}.
 */
@DisplayName("owned domains and the capability classes on the libvirt test driver")
class OwnedDomainsTestDriverTest {

    private LibvirtConnection connection;
    private OwnedDomains domains;
    private PersistentDomains definitions;
    private DomainPower power;
    private final String prefix = "o" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void open() {
        connection = new LibvirtConnection("test:///default", LibvirtConnection.LIBVIRT, Duration.ofMillis(250),
                Duration.ofSeconds(10), System::nanoTime);
        domains = new OwnedDomains(connection);
        definitions = new PersistentDomains(domains, () -> Accelerator.tcg("test driver"), BackingChain.NONE);
        power = new DomainPower(domains);
    }

    @AfterEach
    void close() {
        connection.close();
    }

    private DomainSpec spec(String id, DiskAttachment mediaDrive) {
        return new DomainSpec(id, "owned " + id, 1, 64L * 1024 * 1024, DomainXmlTest.LINUX_VIRTIO,
                List.of(new DiskAttachment("/var/lib/skiff/" + id + ".qcow2", "qcow2", "disk", false)), List.of(),
                "/tmp/" + id + ".log", null, null, null, mediaDrive, null);
    }

    @Test
    @DisplayName("no domain: withOwned is NOT_FOUND naming instance and action, withOwnedIfAny does not call")
    void missing() {
        String id = prefix + "-none";
        SkiffException e = assertThrows(SkiffException.class, () -> domains.withOwned(id, "poking domain x", d -> 1));
        assertEquals(SkiffException.Kind.NOT_FOUND, e.kind());
        assertTrue(e.getMessage().contains(id) && e.getMessage().contains("poking domain x"), e.getMessage());
        AtomicBoolean called = new AtomicBoolean();
        assertNull(domains.withOwnedIfAny(id, "poking", d -> called.getAndSet(true)));
        assertFalse(called.get());
        assertEquals(SkiffException.Kind.INVALID,
                assertThrows(SkiffException.class, () -> domains.withOwned("../x", "poking", d -> 1)).kind());
    }

    @Test
    @DisplayName("a skiff-* domain without Skiff's tag: CONFLICT to change, UNDEFINED to read")
    void foreignDomain() throws Exception {
        String id = prefix + "-foreign";
        connection.call(c -> {
            c.domainDefineXML("<domain type='test'><name>" + DomainXml.domainName(id) + "</name>"
                    + "<memory>65536</memory><os><type>hvm</type></os></domain>").free();
            return null;
        });
        try {
            SkiffException e = assertThrows(SkiffException.class, () -> domains.withOwned(id, "poking", d -> 1));
            assertEquals(SkiffException.Kind.CONFLICT, e.kind());
            assertTrue(e.getMessage().contains("not Skiff's"), e.getMessage());
            assertEquals(DomainState.UNDEFINED, power.state(id));
            assertEquals(SkiffException.Kind.CONFLICT,
                    assertThrows(SkiffException.class, () -> definitions.undefine(id)).kind());
        } finally {
            connection.call(c -> {
                c.domainLookupByName(DomainXml.domainName(id)).undefine();
                return null;
            });
        }
    }

    @Test
    @DisplayName("parsed XML is kept per runtime id: a start reads it again, forget drops only that instance's")
    void descriptionCache() {
        String a = prefix + "-a";
        String b = prefix + "-b";
        definitions.define(spec(a, null));
        definitions.define(spec(b, null));
        try {
            assertEquals(0, domains.cached(), "define forgets what it replaces and parses nothing");
            assertEquals(DomainState.SHUT_OFF, power.state(a));
            assertEquals(DomainState.SHUT_OFF, power.state(a));
            assertEquals(1, domains.cached(), "read once");
            power.start(a);
            assertEquals(DomainState.RUNNING, power.state(a));
            assertEquals(2, domains.cached(), "a new runtime id, a new description");
            power.state(b);
            assertEquals(3, domains.cached());
            domains.forget(a);
            assertEquals(1, domains.cached(), "only b's is left");
        } finally {
            definitions.undefine(a);
            definitions.undefine(b);
        }
    }

    @Test
    @DisplayName("devices of a stopped domain are not hot-plugged: CONFLICT on the instance; no media drive: on media")
    void devicesNeedARunningDomainAndADrive() {
        String id = prefix + "-dev";
        definitions.define(spec(id, null));
        LiveDisks disks = new LiveDisks(domains, BackingChain.NONE);
        DomainMedia media = new DomainMedia(domains);
        try {
            for (org.junit.jupiter.api.function.Executable call : List.<org.junit.jupiter.api.function.Executable>of(
                    () -> disks.attach(id, new DiskAttachment("/p/x.qcow2", "qcow2", "disk", false),
                            DomainXmlTest.LINUX_VIRTIO),
                    () -> disks.detach(id, "/p/x.qcow2", Duration.ofSeconds(1)),
                    () -> disks.resize(id, "vda", 1L << 30))) {
                SkiffException e = assertThrows(SkiffException.class, call);
                assertEquals(SkiffException.Kind.CONFLICT, e.kind(), e.getMessage());
                assertEquals("instance", e.field(), e.getMessage());
                assertTrue(e.getMessage().contains("does not run"), e.getMessage());
            }
            SkiffException noDrive = assertThrows(SkiffException.class, () -> media.change(id, "/iso/a.iso"));
            assertEquals(SkiffException.Kind.CONFLICT, noDrive.kind());
            assertEquals("media", noDrive.field());
        } finally {
            definitions.undefine(id);
        }
    }

    @Test
    @DisplayName("undefine drops flags the driver does not know (no NVRAM here) and destroys a running domain first")
    void undefineRunning() {
        String id = prefix + "-undef";
        definitions.define(spec(id, null));
        power.start(id);
        definitions.undefine(id);
        assertEquals(DomainState.UNDEFINED, power.state(id));
        definitions.undefine(id); // nothing left: no error
    }
}
