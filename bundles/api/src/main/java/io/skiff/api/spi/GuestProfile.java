package io.skiff.api.spi;

/** A guest-OS device profile. Registered with {@code skiff.provider} naming it (e.g. {@code linux-virtio}). */
public interface GuestProfile {

    String name();

    String description();

    DeviceProfile devices();
}
