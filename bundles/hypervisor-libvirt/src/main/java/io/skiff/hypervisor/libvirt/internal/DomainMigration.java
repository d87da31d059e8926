package io.skiff.hypervisor.libvirt.internal;

import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.DomainState;
import io.skiff.api.spi.MigrationOutcome;
import io.skiff.api.spi.MigrationPlan;
import io.skiff.api.spi.MigrationProgress;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.DomainJobInfo;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Migration of a domain to another host's libvirt, peer to peer ({@code virDomainMigrateToURI2}): the target gets the
 * source's migratable XML with its own paths and console address ({@link MigrationXml}) and keeps the domain
 * persistently; the source keeps its (then inactive) definition, for the cell to remove once the Core has switched
 * the instance over. A running domain moves live; with {@code copyStorage} its disks' content is mirrored to the
 * target's (empty, same size) volumes while the guest runs. A stopped domain moves cold (its disks copied too unless
 * shared): it is started paused (the guest never runs an instruction), migrated and left paused on the target, where
 * it is destroyed so that only its persistent definition remains; its paused copy here is destroyed whatever
 * happened. Snapshot metadata moves with the domain ({@link SnapshotMetadata}); a copy of the disks would lose the
 * snapshots kept inside them and is refused. The job's progress is read every 250 ms while it runs; the downtime
 * comes from the completed job's statistics ({@link DomainJobStats}).
 */
final class DomainMigration {
    private static final Logger LOG = LoggerFactory.getLogger(DomainMigration.class);
    /** {@code VIR_DOMAIN_XML_SECURE | VIR_DOMAIN_XML_MIGRATABLE}: with the VNC password, without runtime-only parts */
    private static final int XML_FOR_MIGRATION = 1 | 8;
    static final long LIVE = 1;
    static final long PEER2PEER = 2;
    static final long PERSIST_DEST = 8;
    static final long NON_SHARED_DISK = 64;
    static final long PAUSED = 32;
    static final long ABORT_ON_ERROR = 4096;
    /**
     * {@code VIR_MIGRATE_TLS} ({@code 1 << 16} in libvirt-domain.h, since libvirt 3.2; libvirt-java 0.5.2 has no
     * constant for it): QEMU's own TLS on the migration stream, with the certificates of {@code
     * migrate_tls_x509_cert_dir} in qemu.conf on both hosts; the migration fails rather than run in clear text.
     */
    static final long TLS = 1L << 16;
    /** {@code VIR_DOMAIN_START_PAUSED} */
    static final int START_PAUSED = 1;

    private final OwnedDomains domains;

    DomainMigration(OwnedDomains domains) {
        this.domains = domains;
    }

    static long flags(boolean copyStorage) {
        return LIVE | PEER2PEER | PERSIST_DEST | ABORT_ON_ERROR | (copyStorage ? NON_SHARED_DISK : 0);
    }

    /** A stopped domain: it was started paused here and stays paused on the target. */
    static long coldFlags(boolean copyStorage) {
        return PEER2PEER | PERSIST_DEST | ABORT_ON_ERROR | PAUSED | (copyStorage ? NON_SHARED_DISK : 0);
    }

    /** @return {@code flags}, plus {@link #TLS} when the plan asks for it */
    static long withTls(long flags, MigrationPlan plan) {
        return flags | (plan.tls() ? TLS : 0);
    }

    MigrationOutcome migrate(String instanceId, MigrationPlan plan, Consumer<MigrationProgress> progress) {
        String name = DomainXml.domainName(instanceId);
        return domains.withOwned(instanceId, "migrating domain " + name + " to " + plan.targetUri(), (c, d) -> {
            boolean cold = d.isActive() != 1;
            String secureXml = d.getXMLDesc(XML_FOR_MIGRATION);
            String xml = MigrationXml.rewrite(secureXml, plan.pathRewrites(), plan.consoleListen());
            SnapshotMetadata snapshots = SnapshotMetadata.read(d);
            if (!snapshots.isEmpty() && plan.copyStorage()) {
                throw SkiffException.conflict("instance", "instance " + instanceId + ": a move with storage copy"
                        + " would lose the " + snapshots.xmls().size() + " snapshot(s) kept inside the disks; delete"
                        + " them or use shared storage");
            }
            String password = MigrationXml.consolePassword(secureXml);
            String uuid = d.getUUIDString();
            long started = System.nanoTime();
            try {
                snapshots.dropFrom(d); // libvirt refuses to migrate a domain with snapshot metadata
                run(d, instanceId, plan, xml, cold, progress);
                if (cold || !snapshots.isEmpty()) {
                    arrived(plan.targetUri(), name, cold, snapshots, snapshotXml -> MigrationXml.rewrite(snapshotXml,
                            plan.pathRewrites(), plan.consoleListen(), password));
                }
            } catch (LibvirtException | RuntimeException e) {
                giveBack(instanceId, d, snapshots, password);
                throw e;
            } finally {
                if (cold && DomainPower.destroyIfActive(d)) {
                    LOG.info("Instance {}: the paused copy it was moved from is off", instanceId);
                }
            }
            long wall = (System.nanoTime() - started) / 1_000_000;
            long downtime = -1;
            long transferred = -1;
            if (c instanceof NativeConnect nc) {
                try {
                    Map<String, Long> stats = DomainJobStats.completed(nc, uuid, "downtime", "data_processed");
                    downtime = cold ? -1 : stats.get("downtime");
                    transferred = stats.get("data_processed");
                } catch (RuntimeException | LinkageError e) {
                    LOG.debug("Instance {}: no statistics of the completed migration: {}", instanceId, e.toString());
                }
            }
            LOG.info("Instance {}: migrated {}to {} in {} ms (downtime {} ms{}{}{})", instanceId, cold ? "cold " : "",
                    plan.targetUri(), wall, downtime, plan.copyStorage() ? ", with its disks" : "",
                    snapshots.isEmpty() ? "" : ", " + snapshots.xmls().size() + " snapshot(s)",
                    plan.tls() ? ", over TLS" : "");
            return new MigrationOutcome(wall, downtime, transferred);
        });
    }

    /** Runs the migration, reading the job's progress every 250 ms; a stopped domain is started paused first. */
    private static void run(Domain d, String instanceId, MigrationPlan plan, String xml, boolean cold,
                            Consumer<MigrationProgress> progress) throws LibvirtException {
        if (cold) {
            d.create(START_PAUSED); // the guest never runs an instruction: only its disks are copied
        }
        ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "skiff-migration-" + instanceId);
            t.setDaemon(true);
            return t;
        });
        poller.scheduleWithFixedDelay(() -> report(d, progress), 250, 250, TimeUnit.MILLISECONDS);
        long flags = withTls(cold ? coldFlags(plan.copyStorage()) : flags(plan.copyStorage()), plan);
        try {
            d.migrateToURI(plan.targetUri(), null, xml, flags, null, Math.max(0, plan.bandwidthMiBps()));
        } finally {
            poller.shutdownNow();
        }
    }

    /**
     * On the target: a cold move's paused domain is destroyed (its persistent definition stays), the snapshot
     * metadata is redefined.
     */
    private static void arrived(String targetUri, String name, boolean cold, SnapshotMetadata snapshots,
                                UnaryOperator<String> rewrite) throws LibvirtException {
        Connect target = NativeConnect.ENDPOINT.open(targetUri);
        try {
            Domain d = target.domainLookupByName(name);
            try {
                if (cold) {
                    DomainPower.destroyIfActive(d);
                }
                try {
                    snapshots.redefineOn(d, rewrite);
                } catch (LibvirtException | RuntimeException e) {
                    // none stays half there: the source gets them all back, and a move back is not refused
                    SnapshotMetadata.read(d).dropFrom(d);
                    throw e;
                }
            } finally {
                d.free();
            }
        } finally {
            NativeConnect.ENDPOINT.close(target);
        }
    }

    /**
     * After a failure: the source's domain gets its snapshot metadata back (as it was, with its secrets; redefining
     * one that was not dropped yet only writes it again).
     */
    private static void giveBack(String instanceId, Domain d, SnapshotMetadata snapshots, String password) {
        if (snapshots.isEmpty()) {
            return;
        }
        try {
            snapshots.redefineOn(d, xml -> MigrationXml.rewrite(xml, Map.of(), null, password));
        } catch (LibvirtException | RuntimeException e) {
            LOG.error("Instance {}: the metadata of its {} snapshot(s) could not be given back after a failed"
                    + " migration: {}", instanceId, snapshots.xmls().size(), e.getMessage());
        }
    }

    private static void report(Domain d, Consumer<MigrationProgress> progress) {
        try {
            DomainJobInfo job = d.getJobInfo();
            if (job.getType() != 0) {
                progress.accept(new MigrationProgress(job.getDataTotal(), job.getDataRemaining(),
                        job.getTimeElapsed()));
            }
        } catch (LibvirtException | RuntimeException e) {
            // the job may end between two polls
        }
    }

    /** Resumes a paused domain; nothing when it runs or does not exist. */
    void resume(String instanceId) {
        domains.withOwnedIfAny(instanceId, "resuming domain " + DomainXml.domainName(instanceId), d -> {
            if (d.isActive() == 1 && OwnedDomains.stateOf(d) == DomainState.PAUSED) {
                d.resume();
                LOG.info("Instance {}: resumed", instanceId);
            }
            return null;
        });
    }
}
