package io.skiff.hypervisor.libvirt.internal;

import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.DomainState;
import io.skiff.api.spi.MigrationOutcome;
import io.skiff.api.spi.MigrationPlan;
import io.skiff.api.spi.MigrationProgress;
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

/**
 * Live migration of a running domain to another host's libvirt, peer to peer ({@code virDomainMigrateToURI2}): the
 * target gets the source's migratable XML with its own paths and console address ({@link MigrationXml}) and keeps the
 * domain persistently; the source keeps its (then inactive) definition, for the cell to remove once the Core has
 * switched the instance over. With {@code copyStorage} the disks' content is mirrored to the target's (empty, same
 * size) volumes while the guest runs. The job's progress is read every 250 ms while it runs; the downtime comes from
 * the completed job's statistics ({@link DomainJobStats}).
 */
final class DomainMigration {
    private static final Logger LOG = LoggerFactory.getLogger(DomainMigration.class);
    /** {@code VIR_DOMAIN_XML_SECURE | VIR_DOMAIN_XML_MIGRATABLE}: with the VNC password, without runtime-only parts */
    private static final int XML_FOR_MIGRATION = 1 | 8;
    static final long LIVE = 1;
    static final long PEER2PEER = 2;
    static final long PERSIST_DEST = 8;
    static final long NON_SHARED_DISK = 64;
    static final long ABORT_ON_ERROR = 4096;
    /**
     * {@code VIR_MIGRATE_TLS} ({@code 1 << 16} in libvirt-domain.h, since libvirt 3.2; libvirt-java 0.5.2 has no
     * constant for it): QEMU's own TLS on the migration stream, with the certificates of {@code
     * migrate_tls_x509_cert_dir} in qemu.conf on both hosts; the migration fails rather than run in clear text.
     */
    static final long TLS = 1L << 16;

    private final OwnedDomains domains;

    DomainMigration(OwnedDomains domains) {
        this.domains = domains;
    }

    static long flags(boolean copyStorage) {
        return LIVE | PEER2PEER | PERSIST_DEST | ABORT_ON_ERROR | (copyStorage ? NON_SHARED_DISK : 0);
    }

    /** @return the flags of the plan's migration: {@link #flags(boolean)}, plus {@link #TLS} when it asks for it */
    static long flags(MigrationPlan plan) {
        return flags(plan.copyStorage()) | (plan.tls() ? TLS : 0);
    }

    MigrationOutcome migrate(String instanceId, MigrationPlan plan, Consumer<MigrationProgress> progress) {
        String name = DomainXml.domainName(instanceId);
        return domains.withOwned(instanceId, "migrating domain " + name + " to " + plan.targetUri(), (c, d) -> {
            if (d.isActive() != 1) {
                throw SkiffException.conflict("instance", "instance " + instanceId + " does not run; only a running"
                        + " domain migrates live");
            }
            String xml = MigrationXml.rewrite(d.getXMLDesc(XML_FOR_MIGRATION), plan.pathRewrites(),
                    plan.consoleListen());
            String uuid = d.getUUIDString();
            long started = System.nanoTime();
            ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "skiff-migration-" + instanceId);
                t.setDaemon(true);
                return t;
            });
            poller.scheduleWithFixedDelay(() -> report(d, progress), 250, 250, TimeUnit.MILLISECONDS);
            try {
                d.migrateToURI(plan.targetUri(), null, xml, flags(plan), null,
                        Math.max(0, plan.bandwidthMiBps()));
            } finally {
                poller.shutdownNow();
            }
            long wall = (System.nanoTime() - started) / 1_000_000;
            long downtime = -1;
            long transferred = -1;
            if (c instanceof NativeConnect nc) {
                try {
                    Map<String, Long> stats = DomainJobStats.completed(nc, uuid, "downtime", "data_processed");
                    downtime = stats.get("downtime");
                    transferred = stats.get("data_processed");
                } catch (RuntimeException | LinkageError e) {
                    LOG.debug("Instance {}: no statistics of the completed migration: {}", instanceId, e.toString());
                }
            }
            LOG.info("Instance {}: migrated to {} in {} ms (downtime {} ms{}{})", instanceId, plan.targetUri(), wall,
                    downtime, plan.copyStorage() ? ", with its disks" : "", plan.tls() ? ", over TLS" : "");
            return new MigrationOutcome(wall, downtime, transferred);
        });
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
