package io.skiff.core.internal.instance;

import io.skiff.api.cell.Ack;
import io.skiff.api.cell.CellProtocol;
import io.skiff.api.cell.InstanceAction;
import io.skiff.api.model.InstanceSpec;
import io.skiff.api.task.TaskStep;

import java.util.Map;

/**
 * The kind {@value #KIND}: the instance's cell starts a newly created domain. Undo: the cell forces it off
 * ({@value CellProtocol#STOP} without waiting; a domain that is not running counts as stopped). Data:
 * {@link StepTarget}.
 */
final class StartDomainStep extends StepKind<StepTarget> {
    static final String KIND = "cell.start";

    private final InstanceRecords records;
    private final InstanceSettings settings;

    StartDomainStep(InstanceRecords records, InstanceSettings settings) {
        super(KIND);
        this.records = records;
        this.settings = settings;
    }

    TaskStep step(String id, InstanceSpec spec) {
        return step("start domain", ctx -> {
            StepTarget target = StepTarget.record(ctx, records, id);
            settings.faults().check(KIND, spec.name());
            settings.calls().domains(target.cell()).start(InstanceAction.of(id));
        });
    }

    @Override
    StepTarget read(Map<String, String> data) {
        return StepTarget.read(data);
    }

    @Override
    void undo(StepTarget data) {
        if (data.cell() != null) {
            settings.calls().domains(data.cell()).stop(new InstanceAction(data.instance(), 0, true));
        }
    }
}
