package io.skiff.core.internal.instance;

import io.skiff.api.cell.MigrationCompletion;
import io.skiff.api.task.TaskStep;

import java.util.Map;

/**
 * Step kind {@value #KIND}: the target cell takes ownership of the moved instance (its file says defined, its
 * domain's persistent definition becomes the target's own, a cold move defines it there) and the record names the
 * target cell from now on; undo names the source cell again (the target's copy goes with the preparation's undo).
 * Data: {@link MigrationData}.
 */
final class SwitchCellStep extends StepKind<MigrationData> {
    static final String KIND = "migrate.switch";

    private final InstanceRecords records;
    private final InstanceSettings settings;

    SwitchCellStep(InstanceRecords records, InstanceSettings settings) {
        super(KIND);
        this.records = records;
        this.settings = settings;
    }

    TaskStep step(String id, String source, String target, boolean live, MigrationPlanHolder plan) {
        return step("switch to cell " + target, ctx -> {
            new MigrationData(id, source, target, plan.source.shared(), live, plan.tls).writeTo(ctx);
            settings.faults().check(KIND, records.find(id).map(r -> r.spec().name()).orElse(null));
            settings.calls().migrations(target).complete(new MigrationCompletion(id, !live));
            records.moveTo(id, target);
            ctx.progress(100, "the instance lives on cell " + target);
        });
    }

    @Override
    MigrationData read(Map<String, String> data) {
        return MigrationData.read(data);
    }

    @Override
    void undo(MigrationData data) {
        if (data.source() != null) {
            records.find(data.instance()).filter(r -> !data.source().equals(r.cellId()))
                    .ifPresent(r -> records.moveTo(r.id(), data.source()));
        }
    }
}
