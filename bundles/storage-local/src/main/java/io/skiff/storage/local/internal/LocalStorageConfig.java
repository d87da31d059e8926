package io.skiff.storage.local.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Skiff local storage",
        description = "qcow2 volumes in a local directory managed as a libvirt 'dir' storage pool")
public @interface LocalStorageConfig {

    @AttributeDefinition(description = "libvirt connection URI")
    String uri() default "qemu:///system";

    @AttributeDefinition(description = "Name of the libvirt storage pool (the backend's default pool)")
    String poolName() default "skiff-local";

    @AttributeDefinition(description = "Directory of the pool; empty: <karaf.data>/skiff/volumes")
    String path() default "";
}
