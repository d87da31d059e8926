package io.skiff.profiles.standard.internal;

import io.skiff.api.spi.DeviceProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StandardGuestProfileTest {

    private static Map<String, String> valid() {
        Map<String, String> m = new HashMap<>();
        m.put("name", "custom");
        m.put("description", "a custom profile");
        m.put("diskBus", "virtio");
        m.put("nicModel", "virtio");
        m.put("video", "virtio");
        m.put("tablet", "false");
        m.put("machine", "pc");
        m.put("firmware", "bios");
        return m;
    }

    @ParameterizedTest(name = "{0} = ''{1}'' is refused")
    @CsvSource({
            "diskBus, virtoi, diskBus 'virtoi' is not one of ide, sata, scsi, virtio",
            "nicModel, ne2k_pci, nicModel 'ne2k_pci' is not one of e1000, e1000e, rtl8139, virtio",
            "video, vmvga3d, video 'vmvga3d' is not one of bochs, cirrus, none, qxl, virtio, vga",
            "machine, isapc, machine 'isapc' is not one of pc, q35, pc-i440fx-<version>, pc-q35-<version>",
            "firmware, coreboot, firmware 'coreboot' is not one of bios, uefi",
            "name, 'bad name', name 'bad name' must be 1-63 letters",
            "name, '', name '' must be 1-63 letters",
    })
    void invalidValueIsRefusedWithItsName(String field, String value, String message) {
        Map<String, String> m = valid();
        m.put(field, value);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StandardGuestProfile.of(TestConfigs.config(m)));
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }

    @Test
    void ideOnQ35IsRefused() {
        Map<String, String> m = valid();
        m.put("diskBus", "ide");
        m.put("machine", "pc-q35-7.2");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StandardGuestProfile.of(TestConfigs.config(m)));
        assertEquals("diskBus 'ide' needs machine type pc (i440fx): pc-q35-7.2 has no IDE controller", e.getMessage());
    }

    @Test
    void missingNameIsRefused() {
        Map<String, String> m = valid();
        m.remove("name");
        assertThrows(IllegalArgumentException.class, () -> StandardGuestProfile.of(TestConfigs.config(m)));
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        Map<String, String> m = valid();
        m.put("diskBus", "floppy");
        m.put("firmware", "efi");
        String message = assertThrows(IllegalArgumentException.class,
                () -> StandardGuestProfile.of(TestConfigs.config(m))).getMessage();
        assertTrue(message.contains("diskBus 'floppy'") && message.contains("firmware 'efi'"), message);
    }

    @Test
    void valuesAreTrimmedAndLowerCased() {
        Map<String, String> m = valid();
        m.put("name", " custom ");
        m.put("diskBus", "SCSI ");
        m.put("nicModel", "E1000e");
        m.put("video", "QXL");
        m.put("tablet", "true");
        m.put("machine", "PC-I440FX-7.2");
        m.put("firmware", "UEFI");
        StandardGuestProfile p = StandardGuestProfile.of(TestConfigs.config(m));
        assertEquals("custom", p.name());
        assertEquals(new DeviceProfile("scsi", "e1000e", "qxl", true, "pc-i440fx-7.2", "uefi"), p.devices());
    }

    @Test
    void defaultsMakeAVirtioProfile() {
        StandardGuestProfile p = StandardGuestProfile.of(TestConfigs.config(Map.of("name", "minimal")));
        assertEquals(new DeviceProfile("virtio", "virtio", "virtio", false, "pc", "bios"), p.devices());
        assertEquals("", p.description());
    }
}
