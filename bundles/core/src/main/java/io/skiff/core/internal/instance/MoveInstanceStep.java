package io.skiff.core.internal.instance;

import io.skiff.api.cell.CellMigrations;
import io.skiff.api.cell.IncomingMigration;
import io.skiff.api.cell.InstanceAction;
import io.skiff.api.cell.MigrationSource;
import io.skiff.api.cell.MigrationStatus;
import io.skiff.api.cell.MigrationTarget;
import io.skiff.api.cell.OutgoingMigration;
import io.skiff.api.service.SkiffException;
import io.skiff.api.task.StepContext;
import io.skiff.api.task.TaskStep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Step kind {@value #KIND}: the source cell migrates the instance to the target, live when it runs, cold when it is
 * stopped (its domain started paused, so the guest never runs, and left defined and off on the target); the step
 * follows the cell's job (progress: bytes left) until it ends and records its wall time and downtime
 * ({@code wallMillis}, {@code downtimeMillis}) and whether it went over the hypervisor's migration TLS ({@code tls}).
 * Undo puts the instance back as it was: when the target runs it (the
 * migration completed, but a later step failed or the Core stopped before the switch), it migrates back the same
 * way; then the source resumes a domain a failed migration left paused. A cold move's undo forces off any paused
 * copy on either cell and moves a shared-storage instance back (its snapshot metadata is on the target); copied
 * disks are left for the target's release. Data: {@link MigrationData}.
 */
final class MoveInstanceStep extends StepKind<MigrationData> {
    static final String KIND = "migrate.move";
    private static final Logger LOG = LoggerFactory.getLogger(MoveInstanceStep.class);
    private static final Duration POLL = Duration.ofMillis(250);

    private final InstanceRecords records;
    private final InstanceSettings settings;
    private final CellSpecs specs;

    MoveInstanceStep(InstanceRecords records, InstanceSettings settings, CellSpecs specs) {
        super(KIND);
        this.records = records;
        this.settings = settings;
        this.specs = specs;
    }

    TaskStep step(String id, String source, String target, boolean live, MigrationPlanHolder plan) {
        return step((live ? "migrate live" : "move cold") + " to cell " + target, ctx -> {
            new MigrationData(id, source, target, plan.source.shared(), live, plan.tls).writeTo(ctx);
            InstanceRecord r = records.find(id).orElseThrow();
            settings.faults().check(KIND, r.spec().name());
            MigrationStatus done = migrate(settings.calls().migrations(source), id, plan.target,
                    !plan.source.shared(), plan.tls, (percent, message) -> ctx.progress(percent, message));
            record(ctx, done, plan.tls);
        });
    }

    private static void record(StepContext ctx, MigrationStatus done, boolean tls) {
        StepData.put(ctx, "wallMillis", done.wallMillis());
        StepData.put(ctx, "downtimeMillis", done.downtimeMillis());
        StepData.put(ctx, "transferredBytes", done.transferredBytes());
        ctx.progress(100, "migrated " + (tls ? "over TLS" : "without TLS") + " in " + done.wallMillis()
                + " ms, downtime " + (done.downtimeMillis() < 0 ? "unknown" : done.downtimeMillis() + " ms"));
    }

    /** Has {@code from} migrate the instance to {@code to} and follows the job until it ends. */
    private MigrationStatus migrate(CellMigrations from, String id, MigrationTarget to, boolean copyStorage,
                                    boolean tls, BiConsumer<Integer, String> progress) throws InterruptedException {
        from.start(new OutgoingMigration(id, to, copyStorage, tls));
        long deadline = System.nanoTime() + Duration.ofSeconds(settings.config().migrationTimeoutSeconds()).toNanos();
        while (true) {
            Thread.sleep(POLL.toMillis());
            MigrationStatus status = from.status(InstanceAction.of(id));
            switch (status.phase()) {
                case MigrationStatus.SUCCEEDED:
                    return status;
                case MigrationStatus.FAILED:
                    throw new SkiffException(SkiffException.Kind.CONFLICT, "migration-failed",
                            "the migration to cell " + to.node() + " failed: " + status.message(), "cell");
                case MigrationStatus.RUNNING:
                    progress.accept(status.percent(), status.message());
                    break;
                default:
                    throw new SkiffException(SkiffException.Kind.CONFLICT, "migration-lost",
                            "the cell lost track of the migration to cell " + to.node() + " (it restarted?)",
                            "cell");
            }
            if (System.nanoTime() - deadline > 0) {
                throw new SkiffException(SkiffException.Kind.CONFLICT, "migration-timeout", "the migration to cell "
                        + to.node() + " did not end within " + settings.config().migrationTimeoutSeconds() + " s",
                        "cell");
            }
        }
    }

    @Override
    MigrationData read(Map<String, String> data) {
        return MigrationData.read(data);
    }

    @Override
    void undo(MigrationData data) throws Exception {
        if (data.target() == null) {
            return;
        }
        CellMigrations target = settings.calls().migrations(data.target());
        CellMigrations source = settings.calls().migrations(data.source());
        MigrationSource onTarget;
        try {
            onTarget = target.describe(InstanceAction.of(data.instance()));
        } catch (SkiffException e) {
            if (e.kind() != SkiffException.Kind.NOT_FOUND) {
                throw e;
            }
            onTarget = null; // the target holds no copy
        }
        String there = onTarget == null ? "UNDEFINED" : onTarget.domainState();
        if (!data.live()) {
            undoCold(data, target, source, there, onTarget);
            return;
        }
        if ("RUNNING".equals(there)) {
            migrateBack(data, target, source, onTarget);
        }
        source.recover(InstanceAction.of(data.instance()));
    }

    /**
     * A cold move leaves no domain running or paused on either cell: a paused copy is forced off. One that arrived on
     * shared storage moves back (with its snapshot metadata); one whose disks were copied stays for the target's
     * release, as the source's disks are intact.
     */
    private void undoCold(MigrationData data, CellMigrations target, CellMigrations source, String there,
                          MigrationSource onTarget) throws Exception {
        InstanceAction off = new InstanceAction(data.instance(), 0, true);
        if ("RUNNING".equals(there) || "PAUSED".equals(there)) {
            settings.calls().domains(data.target()).stop(off);
        }
        settings.calls().domains(data.source()).stop(off);
        if (data.shared() && "SHUT_OFF".equals(there)) {
            migrateBack(data, target, source, onTarget);
        }
        source.recover(InstanceAction.of(data.instance())); // its autostart again; nothing to resume
    }

    private void migrateBack(MigrationData data, CellMigrations target, CellMigrations source,
                             MigrationSource onTarget) throws Exception {
        InstanceRecord r = records.find(data.instance()).orElseThrow(() -> SkiffException.notFound("instance",
                data.instance()));
        LOG.warn("instance {}: is on cell {} already; migrating it back to cell {}", data.instance(),
                data.target(), data.source());
        MigrationTarget back = source.prepare(new IncomingMigration(specs.of(r.id(), r.spec()), onTarget));
        migrate(target, data.instance(), back, !data.shared(), data.tls(), (percent, message) -> {
        });
    }
}
