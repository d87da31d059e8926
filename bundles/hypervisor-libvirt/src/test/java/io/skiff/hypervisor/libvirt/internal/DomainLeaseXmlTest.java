package io.skiff.hypervisor.libvirt.internal;

import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.DomainSpec;
import io.skiff.libvirt.XmlDocuments;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The {@code <lease>} a domain gets from a spec's lease file, and that a migration's rewrite keeps it. */
class DomainLeaseXmlTest {

    private static final DomainSpec SPEC = DomainXmlTest.spec("i-0001", "web 1", DomainXmlTest.LINUX_VIRTIO);

    @Test
    void aLeaseFileBecomesALeaseInTheDirectoryAboveItsLockspace() {
        Document doc = XmlDocuments.parse(DomainXml.write(SPEC.withLeaseFile("/srv/shared/leases/i-0001"), "qemu",
                null));
        assertEquals(1, doc.getElementsByTagName("lease").getLength());
        Element lease = (Element) doc.getElementsByTagName("lease").item(0);
        assertEquals("devices", lease.getParentNode().getNodeName());
        assertEquals("leases", XmlDocuments.child(lease, "lockspace").getTextContent());
        assertEquals("i-0001", XmlDocuments.child(lease, "key").getTextContent());
        assertEquals("/srv/shared", XmlDocuments.child(lease, "target").getAttribute("path"));
    }

    @Test
    void withoutALeaseFileTheDomainIsTheSameAsBefore() {
        String xml = DomainXml.write(SPEC, "qemu", null);
        assertEquals(0, XmlDocuments.parse(xml).getElementsByTagName("lease").getLength());
        String withLease = DomainXml.write(SPEC.withLeaseFile("/srv/shared/leases/i-0001"), "qemu", null);
        assertEquals(xml, withLease.replaceAll("(?s)\\n\\s*<lease>.*?</lease>", ""));
    }

    @ParameterizedTest(name = "lease file {0}")
    @ValueSource(strings = {"relative/leases/i-1", "/i-1", "/srv/../leases/i-1", "/srv/leases/i-1/", ""})
    void aLeaseFileThatNamesNoLeaseIsRefusedByName(String file) {
        SkiffException e = assertThrows(SkiffException.class,
                () -> DomainXml.write(SPEC.withLeaseFile(file), "qemu", null));
        assertEquals(SkiffException.Kind.INVALID, e.kind());
        assertEquals("leaseFile", e.field());
    }

    @Test
    void theMigrationRewriteKeepsTheLeaseOnTheSharedPath() {
        String source = DomainXml.write(SPEC.withLeaseFile("/srv/shared/leases/i-0001"), "qemu", null);
        String target = MigrationXml.rewrite(source, Map.of(
                "/var/lib/skiff/volumes/i-0001-system.qcow2", "/b/volumes/i-0001-system.qcow2",
                "/var/log/skiff/console/i-0001.log", "/b/console/i-0001.log"), "192.0.2.11");
        Element lease = (Element) XmlDocuments.parse(target).getElementsByTagName("lease").item(0);
        assertEquals("leases", XmlDocuments.child(lease, "lockspace").getTextContent());
        assertEquals("i-0001", XmlDocuments.child(lease, "key").getTextContent());
        assertEquals("/srv/shared", XmlDocuments.child(lease, "target").getAttribute("path"));
    }
}
