package io.skiff.examples.profile.uefi;

import io.skiff.api.Skiff;
import io.skiff.api.spi.DeviceProfile;
import io.skiff.api.spi.GuestProfile;
import org.osgi.service.component.annotations.Component;

/**
 * The guest profile {@code linux-uefi}: a q35 machine with virtio disk, network and display that boots UEFI
 * firmware. The hypervisor provider turns {@code firmware=uefi} into libvirt's {@code <os firmware='efi'>}, and
 * libvirt picks OVMF (Debian package {@code ovmf}) and gives the domain its own NVRAM variables file.
 * <p>
 * Built only against {@code skiff-api}.
 */
@Component(service = GuestProfile.class, property = {Skiff.PROVIDER_PROPERTY + "=" + UefiGuestProfile.NAME,
        "service.description=Linux with UEFI firmware (OVMF), q35 machine and virtio devices"})
public class UefiGuestProfile implements GuestProfile {
    static final String NAME = "linux-uefi";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Linux with UEFI firmware (OVMF), q35 machine and virtio devices";
    }

    @Override
    public DeviceProfile devices() {
        return new DeviceProfile("virtio", "virtio", "virtio", true, "q35", "uefi");
    }
}
