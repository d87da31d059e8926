package io.skiff.profiles.standard.internal;

import io.skiff.api.spi.DeviceProfile;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The three profiles shipped as {@code configfile}s load into the device sets the design names. */
class ShippedProfilesTest {

    @Test
    void linuxVirtio() throws IOException {
        assertProfile("linux-virtio", new DeviceProfile("virtio", "virtio", "virtio", false, "pc", "bios"));
    }

    @Test
    void windows() throws IOException {
        assertProfile("windows", new DeviceProfile("sata", "e1000", "vga", true, "q35", "bios"));
    }

    @Test
    void legacy() throws IOException {
        assertProfile("legacy", new DeviceProfile("ide", "rtl8139", "cirrus", false, "pc", "bios"));
    }

    @Test
    void everyShippedFileIsAttachedAndNamedAfterItsProfile() throws IOException {
        // Karaf names a factory configuration file <factory pid>-<name>.cfg; the pom attaches exactly these three
        try (Stream<java.nio.file.Path> files = Files.list(TestConfigs.CFG_DIR)) {
            assertEquals(java.util.List.of("io.skiff.profile-legacy.cfg", "io.skiff.profile-linux-virtio.cfg",
                            "io.skiff.profile-windows.cfg"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    private static void assertProfile(String name, DeviceProfile expected) throws IOException {
        StandardGuestProfile profile = StandardGuestProfile.of(TestConfigs.config(TestConfigs.load(name)));
        assertEquals(name, profile.name());
        assertEquals(expected, profile.devices());
        assertEquals(false, profile.description().isBlank(), "description of " + name);
    }
}
