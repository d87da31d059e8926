package io.skiff.hypervisor.libvirt.internal;

import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.DiskAttachment;
import io.skiff.api.spi.DomainSpec;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The media CD-ROM drive in the domain XML: after the seed, marked by its alias, and the boot order it brings. */
class MediaDriveXmlTest {
    private static final DiskAttachment SYSTEM = new DiskAttachment("/pool/skiff-i-disk0.qcow2", "qcow2", "disk", false);
    private static final DiskAttachment SEED = new DiskAttachment("/seeds/i.iso", "raw", "cdrom", true);

    private static DomainSpec spec(io.skiff.api.spi.DeviceProfile profile, String iso, String bootFrom) {
        return new DomainSpec("i-1", "x", 1, 256L << 20, profile, List.of(SYSTEM, SEED), List.of(), null, null, null,
                null, new DiskAttachment(iso, "raw", "cdrom", true), bootFrom);
    }

    private static String flat(String xml) {
        return xml.replaceAll(">\\s+<", "><");
    }

    @Test
    void anEmptyDriveFollowsTheSeedAndTheDiskBootsFirst() {
        String xml = flat(DomainXml.write(spec(DomainXmlTest.LINUX_VIRTIO, null, null), "qemu", null));
        assertTrue(xml.contains("<disk type=\"file\" device=\"cdrom\"><driver name=\"qemu\" type=\"raw\"/>"
                + "<target dev=\"hdb\" bus=\"ide\"/><readonly/><alias name=\"ua-skiff-media\"/></disk>"), xml);
        assertTrue(xml.indexOf("/seeds/i.iso") < xml.indexOf("ua-skiff-media"), xml);
        assertTrue(xml.contains("<boot dev=\"hd\"/><boot dev=\"cdrom\"/>"), xml);
        assertFalse(xml.contains("<boot order="), xml);
        DomainDescription.MediaDrive drive = DomainDescription.mediaDrive(xml);
        assertEquals(new DomainDescription.MediaDrive("hdb", "ide", null, null), drive);
    }

    @Test
    void bootingFromTheDriveUsesPerDeviceBootOrderOnly() {
        String xml = flat(DomainXml.write(spec(DomainXmlTest.LINUX_VIRTIO, "/media/m.iso", "cdrom"), "qemu", null));
        assertFalse(xml.contains("<boot dev="), xml);
        assertTrue(xml.contains("<source file=\"/media/m.iso\"/><target dev=\"hdb\" bus=\"ide\"/><readonly/>"
                + "<boot order=\"1\"/>"), xml);
        assertTrue(xml.contains("<target dev=\"vda\" bus=\"virtio\"/><boot order=\"2\"/>"), xml);
        assertEquals(2, xml.split("<boot order=", -1).length - 1, "only the drive and the system disk boot");
        assertEquals(new DomainDescription.MediaDrive("hdb", "ide", "/media/m.iso", "1"),
                DomainDescription.mediaDrive(xml));
    }

    @Test
    void onQ35TheDriveIsSata() {
        String xml = flat(DomainXml.write(spec(DomainXmlTest.WINDOWS, null, null), "qemu", null));
        assertEquals("sdc", DomainDescription.mediaDrive(xml).target(), xml); // sda disk, sdb seed
        assertEquals("sata", DomainDescription.mediaDrive(xml).bus());
    }

    @Test
    void theUpdateXmlKeepsTargetAndBootOrder() {
        String insert = flat(DomainXml.mediaDrive("hdb", "ide", "/media/m.iso", "1"));
        assertEquals("<disk type=\"file\" device=\"cdrom\"><driver name=\"qemu\" type=\"raw\"/>"
                + "<source file=\"/media/m.iso\"/><target dev=\"hdb\" bus=\"ide\"/><readonly/><boot order=\"1\"/>"
                + "<alias name=\"ua-skiff-media\"/></disk>", insert);
        String eject = flat(DomainXml.mediaDrive("hdb", "ide", null, null));
        assertFalse(eject.contains("<source"), eject);
    }

    @Test
    void aDomainWithoutTheDriveHasNone() {
        String xml = flat(DomainXml.write(new DomainSpec("i-1", "x", 1, 256L << 20, DomainXmlTest.LINUX_VIRTIO,
                List.of(SYSTEM, SEED), List.of(), null), "qemu", null));
        assertNull(DomainDescription.mediaDrive(xml));
        assertFalse(xml.contains("ua-skiff-media"), xml);
    }

    @Test
    void badBootFromIsRefused() {
        SkiffException e = assertThrows(SkiffException.class, () -> DomainXml.write(spec(DomainXmlTest.LINUX_VIRTIO,
                null, "floppy"), "qemu", null));
        assertEquals("bootFrom", e.field());
    }
}
