package io.skiff.guestinit.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Skiff guest initialisation (cloud-init NoCloud)",
        description = "Where the Cell writes the NoCloud seed ISOs it attaches to new instances.")
@interface NoCloudConfig {

    @AttributeDefinition(description = "Directory of the seed ISOs (one per instance); empty = <karaf.data>/skiff/seeds. "
            + "libvirt's QEMU user must be able to reach it.")
    String seedDirectory() default "";

    @AttributeDefinition(description = "The genisoimage executable")
    String genisoimage() default "genisoimage";
}
