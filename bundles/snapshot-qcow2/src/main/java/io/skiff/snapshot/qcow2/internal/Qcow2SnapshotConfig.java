package io.skiff.snapshot.qcow2.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Skiff snapshots (qcow2)",
        description = "Snapshots of instances whose disks are qcow2 volumes, taken through libvirt.")
@interface Qcow2SnapshotConfig {

    @AttributeDefinition(description = "libvirt connection URI of this host (the Cell's hypervisor)")
    String uri() default "qemu:///system";
}
