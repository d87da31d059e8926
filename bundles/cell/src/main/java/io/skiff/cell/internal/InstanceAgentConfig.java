package io.skiff.cell.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Skiff cell instances", description = "How the cell runs its instances")
public @interface InstanceAgentConfig {

    @AttributeDefinition(description = "skiff.provider of the storage backend for volumes")
    String storageProvider() default "local";

    @AttributeDefinition(description = "Storage pool used when a disk names none")
    String storagePool() default "skiff-local";

    @AttributeDefinition(description = "How often the cell reports its instances (milliseconds)")
    int reportIntervalMillis() default 2000;

    @AttributeDefinition(description = "Directory for the cell's files; empty means <karaf.data>/skiff/cell")
    String dataDir() default "";

    @AttributeDefinition(required = false, description = "Address the instances' VNC servers listen on: this host's"
            + " address that the Core (console proxy) and VNC clients can reach. Empty: the address the cell's cluster"
            + " transport is bound to (loopback on an all-in-one host, the cluster address in a domain of many hosts)")
    String consoleListen() default "";

    @AttributeDefinition(description = "Host bridge the instances' network interfaces join (Nano's model: the guests"
            + " sit on the host's network); empty: instances get no network interface")
    String bridge() default "";

    @AttributeDefinition(description = "Whether this cell serves its instances' addresses by DHCP (static leases"
            + " only, no DNS) on the bridge, through the DhcpServer named by dhcpProvider")
    boolean dhcp() default false;

    @AttributeDefinition(description = "skiff.provider of the DhcpServer that serves the leases when dhcp is on")
    String dhcpProvider() default "dnsmasq";

    @AttributeDefinition(description = "Serve DHCP in this network namespace (ip netns exec <name>), where the bridge"
            + " is; empty: the cell's own (tests use it)")
    String dhcpNetns() default "";

    @AttributeDefinition(description = "DHCP lease time handed out (1h, 30m, infinite)")
    String dhcpLeaseTime() default "1h";

    @AttributeDefinition(description = "skiff.provider of the Hypervisor")
    String hypervisorProvider() default "libvirt";

    @AttributeDefinition(description = "skiff.provider of the SnapshotProvider")
    String snapshotProvider() default "qcow2";

    @AttributeDefinition(description = "skiff.provider of the GuestInitializer (guest seeds)")
    String guestInitProvider() default "nocloud";

    @AttributeDefinition(description = "The URI other cells' hypervisors reach this host's with, for live migration"
            + " (e.g. qemu+tcp://10.0.0.12/system or qemu+tls://host/system); empty: qemu+tcp://<the consoles' listen address>/system")
    String migrationUri() default "";

    @AttributeDefinition(description = "The most a live migration from this cell may send per second, in MiB (memory"
            + " and copied disks); 0: as fast as the network allows")
    long migrationBandwidthMiBps() default 0;

    @AttributeDefinition(description = "Where this host's QEMU reads its migration TLS certificates (qemu.conf's"
            + " migrate_tls_x509_cert_dir; owned by QEMU's user): the cell asks the Core's cluster CA for a certificate"
            + " and keeps it there, renewed 30 days before it expires; empty: migration TLS off")
    String migrationTlsDir() default "";

    @AttributeDefinition(required = false, description = "Directory every host of the pool sees (an NFS mount, a"
            + " cluster file system) that is this host's virtlockd lockspace (qemu-lockd.conf file_lockspace_dir, with"
            + " lock_manager = \"lockd\" in qemu.conf): each domain holds a lease on its instance's file there while it"
            + " runs, so libvirt refuses to start a second copy on another host; empty: no leases")
    String leaseDirectory() default "";
}
