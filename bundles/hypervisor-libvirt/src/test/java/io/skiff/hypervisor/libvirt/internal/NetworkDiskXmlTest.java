package io.skiff.hypervisor.libvirt.internal;

import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.DiskAttachment;
import io.skiff.api.spi.DomainSpec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Volumes on NFS ({@code nfs://} URLs) as libvirt network disks, written and read back; the form was checked against
 * libvirt 9.0 and QEMU 7.2 on the multi-host test bed (a linked clone whose image is root's, mode 600, boots).
 */
class NetworkDiskXmlTest {

    private static final String CLONE = "nfs://10.254.213.5/export/skiff-i-n-disk0.qcow2";
    private static final String IMAGE = "nfs://10.254.213.5/export/images/debian.qcow2";
    private static final BackingChain ONE_IMAGE = path -> CLONE.equals(path)
            ? List.of(new BackingChain.Layer(IMAGE, "qcow2")) : List.of();

    private static DomainSpec spec(String... paths) {
        List<DiskAttachment> disks = java.util.Arrays.stream(paths)
                .map(p -> new DiskAttachment(p, "qcow2", "disk", false)).toList();
        return new DomainSpec("i-n", "n", 1, 64L << 20, DomainXmlTest.LINUX_VIRTIO, disks, List.of(), null);
    }

    private static String flat(String xml) {
        return xml.replaceAll(">\\s+<", "><");
    }

    @Test
    void anNfsVolumeIsANetworkDiskWithTheRootIdentityAndItsBackingChainSpeltOut() {
        String xml = flat(DomainXml.write(spec(CLONE, "/var/lib/skiff/volumes/local.qcow2"), "qemu", null, ONE_IMAGE));
        assertTrue(xml.contains("<disk type=\"network\" device=\"disk\">"
                + "<driver name=\"qemu\" type=\"qcow2\" cache=\"none\"/>"
                + "<source protocol=\"nfs\" name=\"/export/skiff-i-n-disk0.qcow2\">"
                + "<host name=\"10.254.213.5\"/><identity user=\"root\" group=\"root\"/></source>"
                + "<backingStore type=\"network\"><format type=\"qcow2\"/>"
                + "<source protocol=\"nfs\" name=\"/export/images/debian.qcow2\">"
                + "<host name=\"10.254.213.5\"/><identity user=\"root\" group=\"root\"/></source>"
                + "<backingStore/></backingStore>"
                + "<target dev=\"vda\" bus=\"virtio\"/></disk>"), xml);
        assertTrue(xml.contains("<disk type=\"file\" device=\"disk\"><driver name=\"qemu\" type=\"qcow2\"/>"
                + "<source file=\"/var/lib/skiff/volumes/local.qcow2\"/><target dev=\"vdb\""), "a local file as before: "
                + xml);
    }

    @Test
    void aStandaloneNfsVolumeHasNoBackingStore() {
        String xml = flat(DomainXml.write(spec("nfs://nas.example/export/v.qcow2"), "qemu", null, ONE_IMAGE));
        assertTrue(xml.contains("<source protocol=\"nfs\" name=\"/export/v.qcow2\"><host name=\"nas.example\"/>"), xml);
        assertFalse(xml.contains("backingStore"), xml);
    }

    @Test
    void readingTheDomainBackGivesTheSameUrls() {
        String ipv6 = "nfs://[fd00::5]/export/skiff-i-n-disk1.qcow2";
        String xml = DomainXml.write(spec(CLONE, ipv6, "/dev/vg/lv"), "kvm", null, ONE_IMAGE);
        assertEquals(Map.of("vda", CLONE, "vdb", ipv6, "vdc", "/dev/vg/lv"), DomainDescription.diskSources(xml));
        assertTrue(xml.contains("<host name=\"fd00::5\"/>"), "no brackets in the host name: " + xml);
        assertEquals(List.of("vda", "vdb", "vdc"), DomainDescription.parse(xml).diskTargets());
        assertEquals(List.of("vda", "vdb", "vdc"), DomainDescription.limitableDisks(xml), "QoS applies to them");
    }

    @Test
    void readsLibvirtsOwnFormOfANetworkDisk() {
        // virsh dumpxml of a domain on the test bed (single quotes, an address, the chain)
        String xml = "<domain><devices><disk type='network' device='disk'>"
                + "<driver name='qemu' type='qcow2' cache='none'/>"
                + "<source protocol='nfs' name='/export/clone.qcow2' index='2'><host name='10.254.213.5'/>"
                + "<identity user='root' group='root'/></source>"
                + "<backingStore type='network' index='1'><format type='qcow2'/>"
                + "<source protocol='nfs' name='/export/base.qcow2'><host name='10.254.213.5'/></source>"
                + "<backingStore/></backingStore><target dev='vda' bus='virtio'/>"
                + "<address type='pci' domain='0x0000' bus='0x00' slot='0x03' function='0x0'/></disk>"
                + "<disk type='network' device='disk'><source protocol='rbd' name='pool/image'>"
                + "<host name='ceph'/></source><target dev='vdb' bus='virtio'/></disk></devices></domain>";
        assertEquals(Map.of("vda", "nfs://10.254.213.5/export/clone.qcow2", "vdb", ""),
                DomainDescription.diskSources(xml), "another protocol is not Skiff's");
    }

    @Test
    void hotPluggingAnNfsVolumeWritesTheSameDisk() {
        String[] plugged = DomainXml.hotplugDisk("i-n", new DiskAttachment(CLONE, "qcow2", "disk", false),
                DomainXmlTest.LINUX_VIRTIO, Set.of("vda"), ONE_IMAGE);
        assertEquals("vdb", plugged[0]);
        String xml = flat(plugged[1]);
        assertTrue(xml.startsWith("<disk type=\"network\" device=\"disk\"><driver name=\"qemu\" type=\"qcow2\" "
                + "cache=\"none\"/><source protocol=\"nfs\" name=\"/export/skiff-i-n-disk0.qcow2\">"), xml);
        assertTrue(xml.contains("<source protocol=\"nfs\" name=\"/export/images/debian.qcow2\">"), xml);
        assertEquals(Map.of("vdb", CLONE), DomainDescription.diskSources("<domain><devices>" + plugged[1]
                + "</devices></domain>"));
    }

    @Test
    void refusesNfsUrlsLibvirtCannotTake() {
        for (String bad : List.of("nfs://10.0.0.5:2049/export/v.qcow2", "nfs://10.0.0.5/export/v.qcow2?uid=0",
                "nfs://10.0.0.5", "nfs://10.0.0.5/export/", "nfs://bad host/export/v.qcow2")) {
            SkiffException e = assertThrows(SkiffException.class,
                    () -> DomainXml.write(spec(bad), "qemu", null), bad);
            assertEquals("path", e.field(), bad);
        }
    }

    @Test
    void readsTheBackingChainFromQemuImgsOutput() {
        // qemu-img 7.2 info -U --backing-chain of a linked clone on NFS (the test bed)
        String output = """
                image: nfs://10.254.213.5/export/clone.qcow2
                file format: qcow2
                virtual size: 32 MiB (33554432 bytes)
                disk size: 196 KiB
                cluster_size: 65536
                backing file: nfs://10.254.213.5/export/base.qcow2
                backing file format: qcow2
                Format specific information:
                    compat: 1.1
                    corrupt: false

                image: nfs://10.254.213.5/export/base.qcow2
                file format: qcow2
                virtual size: 32 MiB (33554432 bytes)
                Format specific information:
                    compat: 1.1
                """;
        assertEquals(List.of(new BackingChain.Layer("nfs://10.254.213.5/export/clone.qcow2", "qcow2"),
                new BackingChain.Layer("nfs://10.254.213.5/export/base.qcow2", "qcow2")),
                QemuImgBackingChain.parse(output));
    }

    @Test
    void anImageQemuImgCannotReadIsUnavailable() {
        SkiffException e = assertThrows(SkiffException.class, () -> new QemuImgBackingChain("qemu-img",
                java.time.Duration.ofSeconds(30)).below("/nonexistent/skiff-test.qcow2"));
        assertEquals(SkiffException.Kind.UNAVAILABLE, e.kind());
        assertTrue(e.getMessage().contains("/nonexistent/skiff-test.qcow2"), e.getMessage());
    }
}
