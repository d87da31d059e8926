package io.skiff.api.spi;

/**
 * A disk as the hypervisor attaches it.
 *
 * @param path file or device the hypervisor opens
 * @param format image format, e.g. {@code qcow2} or {@code raw}
 * @param device {@code disk} or {@code cdrom}
 * @param readOnly whether the guest may not write
 */
public record DiskAttachment(String path, String format, String device, boolean readOnly) {
}
