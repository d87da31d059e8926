package io.skiff.hypervisor.libvirt.internal;

import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.DeviceProfile;
import io.skiff.api.spi.DiskAttachment;
import io.skiff.api.spi.DomainSpec;
import io.skiff.api.spi.NicAttachment;
import io.skiff.libvirt.XmlDocuments;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Domain XML per device profile, compared with golden files in {@code src/test/resources/golden}. */
class DomainXmlTest {

    static final DeviceProfile LINUX_VIRTIO = new DeviceProfile("virtio", "virtio", "virtio", false, "pc", "bios");
    static final DeviceProfile WINDOWS = new DeviceProfile("sata", "e1000", "vga", true, "q35", "bios");
    static final DeviceProfile LEGACY = new DeviceProfile("ide", "rtl8139", "cirrus", false, "pc", "bios");

    static DomainSpec spec(String id, String name, DeviceProfile profile) {
        return new DomainSpec(id, name, 2, 1024L * 1024 * 1024, profile,
                List.of(new DiskAttachment("/var/lib/skiff/volumes/" + id + "-system.qcow2", "qcow2", "disk", false),
                        new DiskAttachment("/var/lib/skiff/volumes/" + id + "-data.qcow2", "qcow2", "disk", false),
                        new DiskAttachment("/var/lib/skiff/seeds/" + id + "-seed.iso", "raw", "cdrom", true)),
                List.of(new NicAttachment("52:54:00:12:34:56", "br-skiff")),
                "/var/log/skiff/console/" + id + ".log", "192.0.2.10", "s3cr3tPw");
    }

    @ParameterizedTest(name = "golden file {0}.xml")
    @ValueSource(strings = {"linux-virtio", "windows", "legacy"})
    void matchesGoldenFile(String profileName) throws IOException {
        DeviceProfile profile = switch (profileName) {
            case "linux-virtio" -> LINUX_VIRTIO;
            case "windows" -> WINDOWS;
            default -> LEGACY;
        };
        String xml = DomainXml.write(spec("i-0001", "web 1", profile), "qemu", null);
        assertEquals(normalise(golden(profileName)), normalise(xml), "domain XML of profile " + profileName);
    }

    @Test
    void tcgAndKvmDifferOnlyInTheDomainType() {
        String tcg = DomainXml.write(spec("i-1", "a", LINUX_VIRTIO), "qemu", null);
        String kvm = DomainXml.write(spec("i-1", "a", LINUX_VIRTIO), "kvm", null);
        assertEquals("qemu", XmlDocuments.parse(tcg).getDocumentElement().getAttribute("type"));
        assertEquals("kvm", XmlDocuments.parse(kvm).getDocumentElement().getAttribute("type"));
        assertEquals(tcg.replace("<domain type=\"qemu\">", "<domain type=\"kvm\">"), kvm);
        assertFalse(tcg.contains("host-passthrough") || tcg.contains("host-model"), "no host CPU modes");
        assertThrows(IllegalArgumentException.class, () -> DomainXml.write(spec("i-1", "a", LINUX_VIRTIO), "xen", null));
    }

    @Test
    void escapesNamesAndPathsAndReadsThemBack() {
        String name = "a<b> & \"c\" 'd' ]]> <!-- e --> \u00e9\u4e2d";
        String path = "/var/lib/skiff/odd dir/&<x>'\".qcow2";
        DomainSpec spec = new DomainSpec("i-esc", name, 1, 64L * 1024 * 1024, LINUX_VIRTIO,
                List.of(new DiskAttachment(path, "qcow2", "disk", false)),
                List.of(), "/var/log/skiff/console/<i-esc>&.log");
        String xml = DomainXml.write(spec, "qemu", null);
        Document doc = XmlDocuments.parse(xml);
        Element source = (Element) doc.getElementsByTagName("source").item(0);
        assertEquals(path, source.getAttribute("file"));
        DomainDescription description = DomainDescription.parse(xml);
        assertEquals("i-esc", description.instanceId());
        assertEquals(name, description.displayName());
        assertTrue(xml.contains("&lt;b&gt; &amp;"), xml);
        assertEquals(1, doc.getElementsByTagName("disk").getLength(), "no element injected");
    }

    @Test
    void rejectsValuesXmlOrLibvirtCannotTake() {
        assertInvalid("instanceId", new DomainSpec("../etc", "x", 1, 1 << 30, LINUX_VIRTIO, List.of(), List.of(), null));
        assertInvalid("name", new DomainSpec("i-1", "bell\u0007", 1, 1 << 30, LINUX_VIRTIO, List.of(), List.of(), null));
        assertInvalid("cores", new DomainSpec("i-1", "x", 0, 1 << 30, LINUX_VIRTIO, List.of(), List.of(), null));
        assertInvalid("mac", new DomainSpec("i-1", "x", 1, 1 << 30, LINUX_VIRTIO, List.of(),
                List.of(new NicAttachment("52:54:00:zz:00:01", "br0")), null));
        assertInvalid("bridge", new DomainSpec("i-1", "x", 1, 1 << 30, LINUX_VIRTIO, List.of(),
                List.of(new NicAttachment("52:54:00:00:00:01", "br0'/><x a='")), null));
        assertInvalid("format", new DomainSpec("i-1", "x", 1, 1 << 30, LINUX_VIRTIO,
                List.of(new DiskAttachment("/a.vmdk", "vmdk", "disk", false)), List.of(), null));
        assertInvalid("nicModel", new DomainSpec("i-1", "x", 1, 1 << 30,
                new DeviceProfile("virtio", "ne2k'", "virtio", false, "pc", "bios"), List.of(), List.of(), null));
        assertInvalid("diskBus", new DomainSpec("i-1", "x", 1, 1 << 30,
                new DeviceProfile("ide", "e1000", "vga", false, "q35", "bios"), List.of(), List.of(), null));
        assertInvalid("consoleListen", new DomainSpec("i-1", "x", 1, 1 << 30, LINUX_VIRTIO, List.of(), List.of(), null,
                "0.0.0.0' passwd='", null));
        assertInvalid("consolePassword", new DomainSpec("i-1", "x", 1, 1 << 30, LINUX_VIRTIO, List.of(), List.of(),
                null, null, "longer-than-8"));
    }

    @Test
    void consolePasswordStaysOutOfMessagesAndTextForms() {
        DomainSpec spec = new DomainSpec("i-1", "x", 1, 1 << 30, LINUX_VIRTIO, List.of(), List.of(), null, null,
                "pw secret");
        SkiffException e = assertThrows(SkiffException.class, () -> DomainXml.write(spec, "qemu", null));
        assertFalse(e.getMessage().contains("pw secret"), e.getMessage());
        assertFalse(spec.toString().contains("pw secret"), spec.toString());
        String xml = DomainXml.write(new DomainSpec("i-1", "x", 1, 1 << 30, LINUX_VIRTIO, List.of(), List.of(), null),
                "qemu", null);
        assertTrue(xml.contains("<graphics type=\"vnc\" autoport=\"yes\" listen=\"127.0.0.1\"/>"), xml);
    }

    @Test
    void liveXmlNamesTheVncPort() {
        String live = "<domain type='qemu'><name>skiff-i-1</name><devices>"
                + "<graphics type='vnc' port='5907' autoport='yes' listen='127.0.0.1'><listen type='address' address='127.0.0.1'/></graphics>"
                + "</devices></domain>";
        assertEquals(5907, DomainDescription.parse(live).vncPort());
        assertEquals(-1, DomainDescription.parse("<domain><devices><graphics type='vnc' port='-1' autoport='yes'/>"
                + "</devices></domain>").vncPort());
    }

    private static void assertInvalid(String field, DomainSpec spec) {
        SkiffException e = assertThrows(SkiffException.class, () -> DomainXml.write(spec, "qemu", null));
        assertEquals(SkiffException.Kind.INVALID, e.kind());
        assertEquals(field, e.field(), e.getMessage());
    }

    @Test
    void uefiAndRedefinitionAndEmptyCdrom() {
        DeviceProfile uefi = new DeviceProfile("virtio", "virtio", "virtio", false, "q35", "uefi");
        DomainSpec spec = new DomainSpec("i-2", "x", 1, 512L * 1024 * 1024, uefi,
                List.of(new DiskAttachment("/v/i-2.qcow2", "qcow2", "disk", false),
                        new DiskAttachment(null, null, "cdrom", true)), List.of(), null);
        String xml = DomainXml.write(spec, "kvm", "0f5c3d2a-1b2c-4d5e-8f90-123456789abc");
        Document doc = XmlDocuments.parse(xml);
        assertEquals("efi", ((Element) doc.getElementsByTagName("os").item(0)).getAttribute("firmware"));
        assertEquals("0f5c3d2a-1b2c-4d5e-8f90-123456789abc", doc.getElementsByTagName("uuid").item(0).getTextContent());
        Element cdrom = (Element) doc.getElementsByTagName("disk").item(1);
        assertEquals(0, cdrom.getElementsByTagName("source").getLength(), "empty tray");
        // q35 has no IDE: the CD-ROM goes on SATA
        assertEquals("sata", ((Element) cdrom.getElementsByTagName("target").item(0)).getAttribute("bus"));
        assertEquals("pty", ((Element) doc.getElementsByTagName("serial").item(0)).getAttribute("type"));
        assertTrue(DomainDescription.parse(xml).uefi());
        // 512 MiB in KiB
        assertEquals("524288", doc.getElementsByTagName("memory").item(0).getTextContent());
    }

    @Test
    void driveLettersFollowLibvirtsNaming() {
        assertEquals("a", DomainXml.driveLetters(0));
        assertEquals("z", DomainXml.driveLetters(25));
        assertEquals("aa", DomainXml.driveLetters(26));
        assertEquals("ab", DomainXml.driveLetters(27));
        assertEquals("ba", DomainXml.driveLetters(52));
    }

    @Test
    void descriptionOfAForeignDomainHasNoOwner() {
        DomainDescription d = DomainDescription.parse("<domain type='test'><name>skiff-x</name>"
                + "<metadata><other:instance xmlns:other='urn:other'><other:id>x</other:id></other:instance></metadata>"
                + "<uuid>u</uuid></domain>");
        assertEquals(null, d.instanceId());
        assertFalse(d.ownedBy("x"));
        assertEquals("u", d.uuid());
    }

    static String golden(String profile) throws IOException {
        try (InputStream in = DomainXmlTest.class.getResourceAsStream("/golden/" + profile + ".xml")) {
            assertNotNull(in, "golden file " + profile + ".xml");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Whitespace between elements and at the ends does not count. */
    static String normalise(String xml) {
        return xml.replaceAll(">\\s+<", "><").replaceAll("\\s+", " ").strip();
    }

    @Test
    void qosBecomesCpuTuneIoTuneAndBandwidth() {
        DomainSpec plain = spec("i-q", "q", LINUX_VIRTIO);
        DomainSpec limited = new DomainSpec(plain.instanceId(), plain.name(), plain.cores(), plain.memoryBytes(),
                plain.devices(), plain.disks(), plain.nics(), plain.serialLogPath(), plain.consoleListen(),
                plain.consolePassword(), new io.skiff.api.model.Qos("low", 500L, 300L, 10_485_760L, 5_242_880L,
                1024L, 512L));
        String xml = DomainXml.write(limited, "qemu", null).replaceAll(">\\s+<", "><");
        assertTrue(xml.contains("<cputune><shares>256</shares><period>100000</period><quota>50000</quota></cputune>"),
                xml);
        assertTrue(xml.contains("<iotune><read_bytes_sec>10485760</read_bytes_sec><write_bytes_sec>5242880"
                + "</write_bytes_sec><read_iops_sec>500</read_iops_sec><write_iops_sec>300</write_iops_sec></iotune>"),
                xml);
        assertEquals(2, xml.split("<iotune>", -1).length - 1, "both disks, not the CD-ROM: " + xml);
        assertTrue(xml.contains("<bandwidth><inbound average=\"1024\"/><outbound average=\"512\"/></bandwidth>"), xml);
        String high = DomainXml.write(new DomainSpec(plain.instanceId(), plain.name(), plain.cores(),
                plain.memoryBytes(), plain.devices(), plain.disks(), plain.nics(), plain.serialLogPath(),
                plain.consoleListen(), plain.consolePassword(), new io.skiff.api.model.Qos("high", null, null, null,
                null, null, null)), "qemu", null).replaceAll(">\\s+<", "><");
        assertTrue(high.contains("<cputune><shares>2048</shares></cputune>"), high);
        assertFalse(high.contains("<iotune>") || high.contains("<bandwidth>"), high);
        assertFalse(DomainXml.write(plain, "qemu", null).contains("<cputune>"));
    }
}
