package io.skiff.core.internal.instance;

import io.skiff.api.cell.CopyRelease;
import io.skiff.api.cell.IncomingMigration;
import io.skiff.api.cell.InstanceAction;
import io.skiff.api.cell.MigrationSource;
import io.skiff.api.task.StepContext;
import io.skiff.api.task.TaskStep;

import java.util.Map;

/**
 * Step kind {@value #KIND}: the target cell makes room for the moving instance (its file, its volumes unless they
 * are shared, its seed and medium); undo has the target release that copy again, keeping shared volumes, and never
 * the copy of the cell the instance's record names. Data: {@link MigrationData}.
 */
final class PrepareTargetStep extends StepKind<MigrationData> {
    static final String KIND = "migrate.prepare";

    private final InstanceRecords records;
    private final InstanceSettings settings;
    private final CellSpecs specs;

    PrepareTargetStep(InstanceRecords records, InstanceSettings settings, CellSpecs specs) {
        super(KIND);
        this.records = records;
        this.settings = settings;
        this.specs = specs;
    }

    TaskStep step(String id, String source, String target, boolean live, MigrationPlanHolder plan) {
        return step("prepare cell " + target, ctx -> prepare(ctx, id, source, target, live, plan,
                settings.calls().migrations(source).describe(InstanceAction.of(id))));
    }

    /**
     * The same for an instance whose source cell cannot be asked (it is lost): what it held was described earlier
     * ({@code known}, shared volumes only).
     */
    TaskStep step(String id, String source, String target, MigrationSource known, MigrationPlanHolder plan) {
        return step("prepare cell " + target, ctx -> prepare(ctx, id, source, target, false, plan, known));
    }

    private void prepare(StepContext ctx, String id, String source, String target, boolean live,
                         MigrationPlanHolder plan, MigrationSource described) {
        InstanceRecord r = records.find(id).orElseThrow();
        new MigrationData(id, source, target, described.shared(), live, plan.tls).writeTo(ctx);
        settings.faults().check(KIND, r.spec().name());
        plan.source = described;
        plan.target = settings.calls().migrations(target).prepare(new IncomingMigration(specs.of(id, r.spec()),
                described));
        ctx.progress(100, "cell " + target + " is ready" + (described.shared() ? " (shared storage)"
                : " (" + described.volumes().size() + " empty volume(s) to copy into)"));
    }

    @Override
    MigrationData read(Map<String, String> data) {
        return MigrationData.read(data);
    }

    @Override
    void undo(MigrationData data) {
        if (data.target() == null) {
            return;
        }
        boolean owner = records.find(data.instance()).map(r -> data.target().equals(r.cellId())).orElse(false);
        if (!owner) {
            settings.calls().migrations(data.target()).release(new CopyRelease(data.instance(), data.shared()));
        }
    }
}
