package io.skiff.core.internal.instance;

import io.skiff.api.cell.Ack;
import io.skiff.api.cell.CellProtocol;
import io.skiff.api.cell.InstanceAction;
import io.skiff.api.model.InstanceSpec;
import io.skiff.api.task.TaskStep;

import java.util.Map;

/**
 * The kind {@value #KIND}: the instance's cell defines its domain (with its seed, lease and media drive). Undo: the
 * cell removes the domain ({@value CellProtocol#UNDEFINE}, idempotent). Data: {@link StepTarget}.
 */
final class DefineDomainStep extends StepKind<StepTarget> {
    static final String KIND = "cell.define";

    private final InstanceRecords records;
    private final InstanceSettings settings;
    private final CellSpecs specs;

    DefineDomainStep(InstanceRecords records, InstanceSettings settings, CellSpecs specs) {
        super(KIND);
        this.records = records;
        this.settings = settings;
        this.specs = specs;
    }

    TaskStep step(String id, InstanceSpec spec) {
        return step("define domain", ctx -> {
            StepTarget target = StepTarget.record(ctx, records, id);
            settings.faults().check(KIND, spec.name());
            settings.calls().domains(target.cell()).define(specs.of(id, spec));
        });
    }

    @Override
    StepTarget read(Map<String, String> data) {
        return StepTarget.read(data);
    }

    @Override
    void undo(StepTarget data) {
        if (data.cell() != null) {
            settings.calls().domains(data.cell()).undefine(InstanceAction.of(data.instance()));
        }
    }
}
