package io.skiff.core.internal.instance;

import io.skiff.api.model.InstanceSpec;
import io.skiff.api.task.TaskStep;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A step kind that asks the instance's cell to take something for a new instance, and to give it back on undo (every
 * undo a cell offers is idempotent: what is not there counts as given back). The create task has three:
 * <ul>
 *   <li>{@value #CREATE_VOLUMES}: the cell creates the volumes (blank, or from an image it fetches); undo deletes the
 *       instance's volumes and files;</li>
 *   <li>{@value #DEFINE_DOMAIN}: the cell defines the domain (with its seed, lease and media drive); undo removes
 *       it;</li>
 *   <li>{@value #START_DOMAIN}: the cell starts the new domain; undo forces it off.</li>
 * </ul>
 * Data: {@link StepTarget} (the instance and its cell, recorded before the cell is asked). The steps do not hold a
 * task engine thread while the cell works.
 */
final class CellInstanceStep extends StepKind<StepTarget> {
    static final String CREATE_VOLUMES = "cell.disks";
    static final String DEFINE_DOMAIN = "cell.define";
    static final String START_DOMAIN = "cell.start";

    /** What the cell is asked to do for the instance: a request sent without waiting ({@link CellCalls#send}). */
    @FunctionalInterface
    interface Apply {
        CompletableFuture<?> apply(CellCalls calls, String cell, String id, InstanceSpec spec);
    }

    /** How the cell gives it back. */
    @FunctionalInterface
    interface Undo {
        void undo(CellCalls calls, String cell, String id);
    }

    private final String name;
    private final InstanceRecords records;
    private final InstanceSettings settings;
    private final Apply apply;
    private final Undo undo;

    CellInstanceStep(String kind, String name, InstanceRecords records, InstanceSettings settings, Apply apply,
                     Undo undo) {
        super(kind);
        this.name = name;
        this.records = records;
        this.settings = settings;
        this.apply = apply;
        this.undo = undo;
    }

    TaskStep step(String id, InstanceSpec spec) {
        return stepAsync(name, ctx -> {
            StepTarget target = StepTarget.record(ctx, records, id);
            settings.faults().check(kind(), spec.name());
            return apply.apply(settings.calls(), target.cell(), id, spec).thenApply(reply -> null);
        });
    }

    @Override
    StepTarget read(Map<String, String> data) {
        return StepTarget.read(data);
    }

    @Override
    void undo(StepTarget data) {
        if (data.cell() != null) {
            undo.undo(settings.calls(), data.cell(), data.instance());
        }
    }
}
