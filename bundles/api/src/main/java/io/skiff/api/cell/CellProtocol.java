package io.skiff.api.cell;

/** Message types the Core sends to a Cell (requests) and the Cell publishes (events). */
public final class CellProtocol {
    /** Request {@link CellInstanceSpec} → {@link PreparedDisks}: download images, create volumes. */
    public static final String PREPARE_DISKS = "instance.prepare-disks";
    /** Request {@link CellInstanceSpec} → {@link Ack}: define (or redefine) the domain. */
    public static final String DEFINE = "instance.define";
    /** Request {@link InstanceAction} → {@link Ack}. */
    public static final String START = "instance.start";
    /** Request {@link InstanceAction} → {@link Ack}: graceful with time-out, or forced. */
    public static final String STOP = "instance.stop";
    /** Request {@link InstanceAction} → {@link Ack}: remove the domain definition (stopping it first). */
    public static final String UNDEFINE = "instance.undefine";
    /** Request {@link InstanceAction} → {@link Ack}: delete the instance's volumes and files. */
    public static final String DELETE_DISKS = "instance.delete-disks";
    /** Request {@link ConsoleLogRequest} → {@link ConsoleLog}. */
    public static final String CONSOLE_LOG = "instance.console-log";
    /**
     * Request {@link InstanceAction} → {@link io.skiff.api.spi.ConsoleEndpoint}: where the running instance's VNC
     * server listens, with its password.
     */
    public static final String CONSOLE = "instance.console";
    /**
     * Request {@link DiskResize} → {@link Ack}: grow a disk's volume; a running domain's through the hypervisor (the
     * guest sees the new size at once), detail {@code live} or {@code offline}. A smaller size shrinks the volume of
     * a stopped instance, refused ({@code INVALID sizeBytes}) below where its data ends; detail {@code shrunk}.
     */
    public static final String RESIZE_DISK = "instance.resize-disk";
    /**
     * Request {@link DiskCapture} → {@link Ack}: copy a stopped instance's disk (flattened) and upload it to the
     * Core as a new image.
     */
    public static final String CAPTURE_DISK = "instance.capture-disk";
    /** Request {@link InstanceAction} → {@link SnapshotList}: the instance's snapshots, parents first. */
    public static final String SNAPSHOT_LIST = "instance.snapshot-list";
    /** Request {@link SnapshotRequest} → {@link io.skiff.api.model.Snapshot}: take a snapshot (running or stopped). */
    public static final String SNAPSHOT_CREATE = "instance.snapshot-create";
    /** Request {@link SnapshotRequest} → {@link Ack}: return the instance's disks (and memory) to a snapshot. */
    public static final String SNAPSHOT_REVERT = "instance.snapshot-revert";
    /** Request {@link SnapshotRequest} → {@link Ack}: delete a snapshot; its children stay valid. */
    public static final String SNAPSHOT_DELETE = "instance.snapshot-delete";
    /** Request {@link QosRequest} → {@link QosApplied}: apply a QoS to the running domain where possible. */
    public static final String QOS_APPLY = "instance.qos-apply";
    /** Request {@link GuestAgentRequest} → {@link GuestAgentReply}: one QEMU guest agent command. */
    public static final String GUEST_AGENT = "instance.guest-agent";
    /**
     * Request {@link CellInstanceSpec} → {@link Ack}: replace the (stopped) instance's system disk by a fresh one
     * from its image; everything else (definition, seed, data disks) stays.
     */
    public static final String RESET_SYSTEM_DISK = "instance.reset-system-disk";
    /**
     * Request {@link StoragePoolDefinition} → {@link Ack}: check that the cell's backend of the pool's provider could
     * keep volumes in it (nothing is kept); {@code INVALID} naming the setting that cannot work.
     */
    public static final String CHECK_STORAGE_POOL = "storage.check-pool";
    /**
     * Request {@link DiskAdd} → {@link Ack}: make an empty data disk and add it to the instance's definition; a
     * running domain gets it hot-plugged (detail {@code live <target>}); the volume is removed when that fails.
     */
    public static final String ADD_DISK = "instance.add-disk";
    /**
     * Request {@link DiskRemove} → {@link Ack}: detach a data disk (live when the domain runs), take it out of the
     * definition and delete its volume.
     */
    public static final String REMOVE_DISK = "instance.remove-disk";
    /**
     * Request {@link DiskCompact} → {@link Ack}: rewrite a stopped instance's disk without its unused space (a linked
     * clone stays linked); detail {@code <bytes before> <bytes after>} (space taken on the cell's disk).
     */
    public static final String COMPACT_DISK = "instance.compact-disk";
    /**
     * Request {@link DiskUsageRequest} → {@link DiskUsage}: one disk's virtual size, the space it takes and where its
     * data ends (what a shrink must keep).
     */
    public static final String DISK_USAGE = "instance.disk-usage";
    /**
     * Request {@link MediaChange} → {@link Ack}: put an ISO into the instance's media CD-ROM drive (fetched from the
     * Core into the cell's media cache first) or empty it; live when the domain runs (detail {@code live}), in the
     * definition otherwise ({@code offline}). Media no instance of the cell holds any more leave the cache.
     */
    public static final String CHANGE_MEDIA = "instance.change-media";
    /** Request {@link InstanceAction} → {@link MigrationSource}: what the instance's cell holds of it, for a move. */
    public static final String MIGRATION_SOURCE = "instance.migration-source";
    /**
     * Request {@link IncomingMigration} → {@link MigrationTarget}: the target cell makes room for an instance that
     * moves to it (its file, volumes unless shared, seed, media) and says where they are; idempotent.
     */
    public static final String MIGRATION_PREPARE = "instance.migration-prepare";
    /** Request {@link OutgoingMigration} → {@link Ack}: the source cell starts a live migration; it runs on. */
    public static final String MIGRATION_START = "instance.migration-start";
    /** Request {@link InstanceAction} → {@link MigrationStatus}: how the cell's migration of the instance goes. */
    public static final String MIGRATION_STATUS = "instance.migration-status";
    /**
     * Request {@link MigrationCompletion} → {@link Ack}: the cell now owns the moved instance: its file says the
     * domain is defined, autostart is set, a stopped instance's domain is defined here.
     */
    public static final String MIGRATION_COMPLETE = "instance.migration-complete";
    /**
     * Request {@link CopyRelease} → {@link Ack}: the cell gives up its copy of an instance that lives elsewhere
     * (domain definition, files, seed, and volumes unless they are shared); refused while the domain runs here.
     */
    public static final String MIGRATION_RELEASE = "instance.migration-release";
    /** Request {@link InstanceAction} → {@link Ack}: resume the domain if a failed migration left it paused. */
    public static final String MIGRATION_RECOVER = "instance.migration-recover";
    /**
     * Request {@link MigrationTlsCertificate} → {@link Ack}: the cluster CA's answer to the certificate request the
     * cell reported ({@link MigrationTlsReport}); the cell keeps it for the hypervisor's migration TLS.
     */
    public static final String MIGRATION_TLS_INSTALL = "cell.migration-tls-install";
    /** Event {@link CellInstancesReport}, every two seconds and after every change. */
    public static final String INSTANCES_REPORT = "cell.instances";
    /**
     * Event {@link InstanceRestart}: the cell restarted an instance whose guest stopped without being asked to (its
     * restart policy), or gave up doing so; the Core records it in the operation log.
     */
    public static final String INSTANCE_RESTART = "cell.instance-restart";
    /**
     * Event {@link Ack} from the Core as it stops on purpose: until it is back, the cells do not fence their instances
     * of failover pools (a stopped Core starts nothing elsewhere). Since 0.9 of this package.
     */
    public static final String CORE_STOPPING = "core.stopping";
    /** Event {@link Ack} from the Core once it runs: the cells count its absence again. Since 0.9 of this package. */
    public static final String CORE_STARTED = "core.started";
    /**
     * Event {@link Ack} from the Core every half second while it runs: a cell that has had one counts the Core as seen at
     * its last message (its self-fencing counts from there, not from when its cluster view lost the Core, which can
     * come seconds later than the Core's view lost the cell). Since 0.9 of this package.
     */
    public static final String CORE_ALIVE = "core.alive";

    private CellProtocol() {
    }
}
