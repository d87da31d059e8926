package io.skiff.hypervisor.libvirt.internal;

import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.DiskAttachment;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HotplugDiskTest {
    private static final String ID = "3f2b1c9e-0000-4000-8000-000000000001";

    @Test
    void takesTheFirstFreeTargetOfTheProfilesBus() {
        DiskAttachment disk = new DiskAttachment("/pool/skiff-x-disk1.qcow2", "qcow2", "disk", false);
        String[] virtio = DomainXml.hotplugDisk(ID, disk, DomainXmlTest.LINUX_VIRTIO, Set.of("vda", "vdc", "hda"), BackingChain.NONE);
        assertEquals("vdb", virtio[0]);
        assertTrue(virtio[1].contains("<target dev=\"vdb\" bus=\"virtio\"/>"), virtio[1]);
        assertTrue(virtio[1].contains("<source file=\"/pool/skiff-x-disk1.qcow2\"/>"), virtio[1]);
        assertTrue(virtio[1].contains("type=\"qcow2\""), virtio[1]);
        String[] sata = DomainXml.hotplugDisk(ID, disk, DomainXmlTest.WINDOWS, Set.of("sda", "sdb"), BackingChain.NONE);
        assertEquals("sdc", sata[0]);
    }

    @Test
    void aDiskNeedsAPath() {
        SkiffException e = assertThrows(SkiffException.class, () -> DomainXml.hotplugDisk(ID,
                new DiskAttachment(" ", "qcow2", "disk", false), DomainXmlTest.LINUX_VIRTIO, Set.of(), BackingChain.NONE));
        assertEquals("path", e.field());
    }

    @Test
    void readsTheSourcesOfTheDisksByTarget() {
        String xml = "<domain><devices>"
                + "<disk type='file' device='disk'><source file='/p/a.qcow2'/><target dev='vda' bus='virtio'/></disk>"
                + "<disk type='file' device='cdrom'><target dev='hdc' bus='ide'/></disk>"
                + "<disk type='block' device='disk'><source dev='/dev/sdz'/><target dev='vdb' bus='virtio'/></disk>"
                + "</devices></domain>";
        assertEquals(Map.of("vda", "/p/a.qcow2", "hdc", "", "vdb", "/dev/sdz"), DomainDescription.diskSources(xml));
    }
}
