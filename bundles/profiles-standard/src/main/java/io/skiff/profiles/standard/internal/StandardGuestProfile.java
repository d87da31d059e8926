package io.skiff.profiles.standard.internal;

import io.skiff.api.spi.DeviceProfile;
import io.skiff.api.spi.GuestProfile;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A guest profile read from configuration. {@link #of} is the only way in, so every instance holds values that
 * libvirt and QEMU accept: a typo in a {@code .cfg} file is refused when it is loaded, not when a VM fails to start.
 */
public record StandardGuestProfile(String name, String description, DeviceProfile devices) implements GuestProfile {

    static final Set<String> DISK_BUSES = Set.of("virtio", "sata", "scsi", "ide");
    static final Set<String> NIC_MODELS = Set.of("virtio", "e1000", "e1000e", "rtl8139");
    static final Set<String> VIDEO_MODELS = Set.of("virtio", "vga", "cirrus", "qxl", "bochs", "none");
    static final Set<String> FIRMWARES = Set.of("bios", "uefi");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    // pc and q35 are aliases of the newest versioned i440fx / q35 machine of the host's QEMU
    private static final Pattern MACHINE = Pattern.compile("pc|q35|pc-i440fx-\\d+(\\.\\d+)*|pc-q35-\\d+(\\.\\d+)*");

    /**
     * Checks and normalises (trims, lower-cases the device values) one profile configuration.
     *
     * @throws IllegalArgumentException naming every invalid value
     */
    public static StandardGuestProfile of(ProfileConfig config) {
        List<String> problems = new ArrayList<>();
        String name = trim(config.name());
        if (!NAME.matcher(name).matches()) {
            problems.add("name '" + name + "' must be 1-63 letters, digits, '.', '-' or '_', starting with a letter or digit");
        }
        String diskBus = oneOf("diskBus", config.diskBus(), DISK_BUSES, problems);
        String nicModel = oneOf("nicModel", config.nicModel(), NIC_MODELS, problems);
        String video = oneOf("video", config.video(), VIDEO_MODELS, problems);
        String firmware = oneOf("firmware", config.firmware(), FIRMWARES, problems);
        String machine = lower(config.machine());
        if (!MACHINE.matcher(machine).matches()) {
            problems.add("machine '" + machine + "' is not one of pc, q35, pc-i440fx-<version>, pc-q35-<version>");
        } else if ("ide".equals(diskBus) && machine.contains("q35")) {
            problems.add("diskBus 'ide' needs machine type pc (i440fx): " + machine + " has no IDE controller");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new StandardGuestProfile(name, trim(config.description()),
                new DeviceProfile(diskBus, nicModel, video, config.tablet(), machine, firmware));
    }

    private static String oneOf(String field, String value, Set<String> allowed, List<String> problems) {
        String v = lower(value);
        if (!allowed.contains(v)) {
            problems.add(field + " '" + v + "' is not one of " + String.join(", ", allowed.stream().sorted().toList()));
        }
        return v;
    }

    private static String trim(String s) {
        return s == null ? "" : s.trim();
    }

    private static String lower(String s) {
        return trim(s).toLowerCase(Locale.ROOT);
    }
}
