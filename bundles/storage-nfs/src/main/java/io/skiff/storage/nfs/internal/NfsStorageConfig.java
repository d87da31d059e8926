package io.skiff.storage.nfs.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Skiff NFS storage",
        description = "qcow2 volumes on an NFS export that every host and cell using the pool shares")
public @interface NfsStorageConfig {

    @AttributeDefinition(description = "NFS server: host name or IP address (NFSv3; rpcbind must answer on TCP 111)")
    String server() default "";

    @AttributeDefinition(description = "Exported directory as the server's MOUNT service knows it, e.g. /export")
    String export() default "";

    @AttributeDefinition(description = "libnfs: QEMU's own NFS client (volumes are nfs:// URLs, no kernel mount); "
            + "mount: a libvirt netfs pool (the host's kernel NFS client mounts the export)")
    String mode() default "libnfs";

    @AttributeDefinition(description = "Name of the storage pool this backend serves")
    String poolName() default "skiff-nfs";

    @AttributeDefinition(description = "Seconds to wait for the NFS server to accept a connection")
    int connectTimeoutSeconds() default 5;

    @AttributeDefinition(description = "Seconds one qemu-img run (create, copy, resize) may take")
    int operationTimeoutSeconds() default 1800;

    @AttributeDefinition(description = "mount mode: libvirt connection URI")
    String uri() default "qemu:///system";

    @AttributeDefinition(description = "mount mode: where the export is mounted; "
            + "empty: <karaf.data>/skiff/nfs/<poolName>")
    String mountPath() default "";
}
