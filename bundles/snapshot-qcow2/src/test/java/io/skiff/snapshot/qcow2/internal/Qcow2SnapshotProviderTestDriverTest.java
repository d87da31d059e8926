package io.skiff.snapshot.qcow2.internal;

import io.skiff.api.model.Snapshot;
import io.skiff.api.service.SkiffException;
import io.skiff.libvirt.LibvirtConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.libvirt.Domain;

import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The snapshot tree logic against <b>libvirt's test driver</b> ({@code test:///default}, in-process, no QEMU):
 * names, conflicts, the tree, re-parenting on delete, revert, errors. The real qcow2 work is checked by
 * {@link Qcow2SnapshotProviderQemuSystemTest}.
 */
@DisplayName("Qcow2SnapshotProvider (libvirt test driver)")
class Qcow2SnapshotProviderTestDriverTest {
    private final LibvirtConnection connection = new LibvirtConnection("test:///default");
    private final Qcow2SnapshotProvider provider = new Qcow2SnapshotProvider(connection);
    private final String id = "snap-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void defineDomain() throws Exception {
        connection.call(c -> c.domainDefineXML("<domain type='test'><name>skiff-" + id + "</name><memory>65536</memory>"
                + "<os><type>hvm</type></os><devices><disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
                + "<source file='/tmp/" + id + ".qcow2'/><target dev='vda' bus='virtio'/></disk></devices></domain>"));
    }

    @AfterEach
    void undefine() throws Exception {
        undefine(id);
        connection.close();
    }

    /** Removes an instance's domain with its snapshots. */
    private void undefine(String instanceId) throws Exception {
        connection.call(c -> {
            Domain d = c.domainLookupByName("skiff-" + instanceId);
            for (String s : d.snapshotListNames()) {
                d.snapshotLookupByName(s).delete(0);
            }
            if (d.isActive() == 1) {
                d.destroy();
            }
            d.undefine();
            return null;
        });
    }

    @Test
    void snapshotsFormATreeAndDeletingAMiddleOneReparentsItsChild() {
        Snapshot a = provider.create(id, "a", "first");
        assertEquals("a", a.name());
        assertEquals("first", a.description());
        assertNull(a.parentId());
        assertTrue(a.current());
        provider.create(id, "b", null);
        provider.create(id, "c", null);
        assertEquals(List.of("a", "b", "c"), names(provider.list(id)));
        assertEquals("b", find(provider.list(id), "c").parentId());
        assertTrue(find(provider.list(id), "c").current());

        provider.revert(id, "a");
        assertTrue(find(provider.list(id), "a").current());
        provider.create(id, "a2", null);          // a second branch under a
        assertEquals("a", find(provider.list(id), "a2").parentId());
        List<String> order = names(provider.list(id));
        assertEquals("a", order.get(0), "parents come first: " + order);

        provider.delete(id, "b");
        assertEquals("a", find(provider.list(id), "c").parentId(), "c re-parented onto a");
        provider.revert(id, "c");
        assertTrue(find(provider.list(id), "c").current());
    }

    @Test
    void clashesUnknownNamesAndOtherInstancesAreRefused() {
        provider.create(id, "base", null);
        SkiffException clash = assertThrows(SkiffException.class, () -> provider.create(id, "base", null));
        assertEquals(SkiffException.Kind.CONFLICT, clash.kind());
        assertEquals("name", clash.field());

        SkiffException missing = assertThrows(SkiffException.class, () -> provider.revert(id, "nope"));
        assertEquals(SkiffException.Kind.NOT_FOUND, missing.kind());
        assertEquals("snapshot", missing.field());

        SkiffException otherInstance = assertThrows(SkiffException.class, () -> provider.revert("no-such-instance", "base"));
        assertEquals(SkiffException.Kind.NOT_FOUND, otherInstance.kind());

        SkiffException badName = assertThrows(SkiffException.class, () -> provider.create(id, "../x", null));
        assertEquals("name", badName.field());
        assertEquals(List.of("base"), names(provider.list(id)), "nothing changed");
    }

    private static List<String> names(List<Snapshot> list) {
        return list.stream().map(Snapshot::name).toList();
    }

    private static Snapshot find(List<Snapshot> list, String name) {
        return list.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aStoppedDomainOnNfsIsRefusedClearlyAndARunningOneIsSnapshotted() throws Exception {
        String nfs = id + "-nfs";
        connection.call(c -> c.domainDefineXML("<domain type='test'><name>skiff-" + nfs + "</name>"
                + "<memory>65536</memory><os><type>hvm</type></os><devices><disk type='network' device='disk'>"
                + "<driver name='qemu' type='qcow2' cache='none'/><source protocol='nfs' name='/export/v.qcow2'>"
                + "<host name='192.0.2.5'/></source><target dev='vda' bus='virtio'/></disk></devices></domain>"));
        try {
            SkiffException e = assertThrows(SkiffException.class, () -> provider.create(nfs, "a", null));
            assertEquals(SkiffException.Kind.CONFLICT, e.kind());
            assertTrue(e.getMessage().contains("vda (nfs)") && e.getMessage().contains("start it first"),
                    e.getMessage());
            connection.call(c -> {
                c.domainLookupByName("skiff-" + nfs).create();
                return null;
            });
            assertEquals("a", provider.create(nfs, "a", null).name());
        } finally {
            undefine(nfs);
        }
    }
}
