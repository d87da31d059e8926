package io.skiff.api.spi;

/**
 * The virtual hardware a guest OS expects.
 *
 * @param diskBus e.g. {@code virtio}, {@code sata}, {@code ide}
 * @param nicModel e.g. {@code virtio}, {@code e1000}, {@code rtl8139}
 * @param video e.g. {@code virtio}, {@code vga}, {@code cirrus}
 * @param tablet whether a USB tablet is attached (absolute pointer)
 * @param machine machine type, e.g. {@code pc} or {@code q35}
 * @param firmware {@code bios} or {@code uefi}
 */
public record DeviceProfile(String diskBus, String nicModel, String video, boolean tablet, String machine,
                            String firmware) {
}
