package io.skiff.hypervisor.libvirt.internal;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.DomainSnapshot;
import org.libvirt.LibvirtException;

import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link SnapshotMetadata} on libvirt's test driver ({@code test:///default}): read parents first with the current
 * one, and redefined as it was (tree and current snapshot) on the domain defined again, as on a migration's target.
 * The test driver cannot drop metadata alone ({@code VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY}); that, and that
 * libvirt then migrates the domain, is seen on real hosts by {@code NfsInstanceIT}.
 */
@DisplayName("snapshot metadata carried across a migration, on the libvirt test driver")
class SnapshotMetadataTestDriverTest {
    /** {@code VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA} */
    private static final int WITH_SNAPSHOTS = 2;

    private Connect connect;
    private Domain domain;
    private String xml;

    @BeforeEach
    void open() throws LibvirtException {
        connect = new Connect("test:///default", false);
        String name = "s" + UUID.randomUUID().toString().substring(0, 8);
        domain = connect.domainDefineXML("<domain type='test'><name>" + name + "</name><memory>65536</memory>"
                + "<os><type>hvm</type></os></domain>");
        xml = domain.getXMLDesc(0);
    }

    @AfterEach
    void close() throws LibvirtException {
        domain.undefine(WITH_SNAPSHOTS);
        connect.close();
    }

    /** The domain as it arrives on a target: the same definition, no snapshot metadata. */
    private void arrive() throws LibvirtException {
        domain.undefine(WITH_SNAPSHOTS);
        domain = connect.domainDefineXML(xml);
    }

    private void take(String name) throws LibvirtException {
        domain.snapshotCreateXML("<domainsnapshot><name>" + name + "</name></domainsnapshot>", 0).free();
    }

    private String current() throws LibvirtException {
        DomainSnapshot s = domain.snapshotCurrent();
        try {
            return SnapshotMetadata.name(s.getXMLDesc());
        } finally {
            s.free();
        }
    }

    @Test
    @DisplayName("read parents first with the current one, redefined as it was where the domain arrives")
    void readAndRedefine() throws LibvirtException {
        take("base");
        take("child");
        DomainSnapshot base = domain.snapshotLookupByName("base");
        domain.revertToSnapshot(base); // the current one is not the newest
        base.free();
        take("other");
        domain.revertToSnapshot(domain.snapshotLookupByName("child"));

        SnapshotMetadata read = SnapshotMetadata.read(domain);
        List<String> names = read.xmls().stream().map(SnapshotMetadata::name).toList();
        assertEquals("base", names.get(0), "parents first: " + names);
        assertEquals(3, names.size());
        assertEquals("child", read.current());

        arrive();
        assertEquals(0, domain.snapshotNum(), "no metadata yet");

        read.redefineOn(domain, xml -> xml);
        assertEquals(List.of("base", "child", "other"), List.of(domain.snapshotListNames()).stream().sorted().toList());
        assertEquals("child", current());
        String child = domain.snapshotLookupByName("child").getXMLDesc();
        assertTrue(child.contains("<name>base</name>"), "the tree is kept: " + child);
    }

    @Test
    @DisplayName("no snapshots: empty, nothing to drop or redefine")
    void none() throws LibvirtException {
        SnapshotMetadata read = SnapshotMetadata.read(domain);
        assertTrue(read.isEmpty());
        assertEquals(null, read.current());
        read.dropFrom(domain);
        arrive();
        read.redefineOn(domain, xml -> xml);
        assertEquals(0, domain.snapshotNum());
    }

    @Test
    @DisplayName("a snapshot is redefined current only when it was")
    void createFlags() {
        assertEquals(1, SnapshotMetadata.createFlags(false), "VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE");
        assertEquals(1 | 2, SnapshotMetadata.createFlags(true), "and VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT");
    }
}
