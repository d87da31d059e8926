package io.skiff.core.internal.instance;

import io.skiff.api.cell.Ack;
import io.skiff.api.cell.CellProtocol;
import io.skiff.api.cell.InstanceAction;
import io.skiff.api.cell.PreparedDisks;
import io.skiff.api.model.InstanceSpec;
import io.skiff.api.task.TaskStep;

import java.util.Map;

/**
 * The kind {@value #KIND}: the instance's cell creates its volumes (blank, or from an image it fetches). Undo: the
 * cell deletes the instance's volumes and files ({@value CellProtocol#DELETE_DISKS}, idempotent). Data:
 * {@link StepTarget}.
 */
final class CreateVolumesStep extends StepKind<StepTarget> {
    static final String KIND = "cell.disks";

    private final InstanceRecords records;
    private final InstanceSettings settings;
    private final CellSpecs specs;

    CreateVolumesStep(InstanceRecords records, InstanceSettings settings, CellSpecs specs) {
        super(KIND);
        this.records = records;
        this.settings = settings;
        this.specs = specs;
    }

    TaskStep step(String id, InstanceSpec spec) {
        return step("create volumes", ctx -> {
            StepTarget target = StepTarget.record(ctx, records, id);
            settings.faults().check(KIND, spec.name());
            settings.calls().volumes(target.cell()).prepareDisks(specs.of(id, spec));
        });
    }

    @Override
    StepTarget read(Map<String, String> data) {
        return StepTarget.read(data);
    }

    @Override
    void undo(StepTarget data) {
        if (data.cell() != null) {
            settings.calls().volumes(data.cell()).deleteDisks(InstanceAction.of(data.instance()));
        }
    }
}
