package io.skiff.core.internal.instance;

import io.skiff.api.model.InstanceState;
import io.skiff.api.task.StepContext;
import io.skiff.api.task.TaskStep;

import java.util.Map;

/**
 * The kind {@value #KIND}: puts an instance's record into a state. {@link #mark} marks it as a task works on it
 * ({@code STARTING}, {@code STOPPING}, {@code DELETING}...) and records the state it had; undo puts that state back.
 * {@link #settle} sets the state a task ends with and records nothing, so its undo has nothing to put back.
 */
final class MarkStateStep extends StepKind<MarkStateStep.Data> {
    static final String KIND = "instance.state";

    /** @param previous the state before the mark (key {@code previous}), or {@code null} */
    record Data(String instance, InstanceState previous) {
        static final String PREVIOUS = "previous";

        static Data read(Map<String, String> data) {
            String previous = data.get(PREVIOUS);
            return new Data(data.get(StepTarget.INSTANCE), previous == null ? null : InstanceState.valueOf(previous));
        }

        void writeTo(StepContext context) {
            StepData.put(context, StepTarget.INSTANCE, instance);
            StepData.put(context, PREVIOUS, previous == null ? null : previous.name());
        }
    }

    private final InstanceRecords records;

    MarkStateStep(InstanceRecords records) {
        super(KIND);
        this.records = records;
    }

    /** Marks the instance as a task works on it; undo puts the previous state back. */
    TaskStep mark(String id, InstanceState transitional) {
        return step("mark " + transitional.name().toLowerCase(), ctx -> {
            InstanceRecord r = records.require(id);
            new Data(id, r.state()).writeTo(ctx);
            records.saveState(r, transitional, null, ctx.taskId());
        });
    }

    /** Sets the state the task ends with (no task works on the instance any more). */
    TaskStep settle(String id, InstanceState state) {
        return step("mark " + state.name().toLowerCase(), ctx -> records.setState(id, state, null));
    }

    @Override
    Data read(Map<String, String> data) {
        return Data.read(data);
    }

    @Override
    void undo(Data data) {
        if (data.instance() != null && data.previous() != null) {
            records.setState(data.instance(), data.previous(), null);
        }
    }
}
