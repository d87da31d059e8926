package io.skiff.profiles.standard.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** One guest profile: a factory configuration of {@code io.skiff.profile}, one {@code .cfg} file per profile. */
@ObjectClassDefinition(name = "Skiff guest profile",
        description = "The virtual hardware for one kind of guest OS; registered as a GuestProfile named after 'name'")
public @interface ProfileConfig {

    @AttributeDefinition(description = "Profile name, the skiff.provider of its service (e.g. linux-virtio): letters, "
            + "digits, '.', '-', '_', starting with a letter or digit")
    String name();

    @AttributeDefinition(description = "One line for people choosing a profile")
    String description() default "";

    @AttributeDefinition(description = "Disk bus: virtio, sata, scsi or ide")
    String diskBus() default "virtio";

    @AttributeDefinition(description = "NIC model: virtio, e1000, e1000e or rtl8139")
    String nicModel() default "virtio";

    @AttributeDefinition(description = "Video model: virtio, vga, cirrus, qxl, bochs or none")
    String video() default "virtio";

    @AttributeDefinition(description = "Attach a USB tablet (absolute pointer for the VNC console)")
    boolean tablet() default false;

    @AttributeDefinition(description = "Machine type: pc, q35, or a versioned one such as pc-q35-7.2")
    String machine() default "pc";

    @AttributeDefinition(description = "Firmware: bios or uefi")
    String firmware() default "bios";
}
