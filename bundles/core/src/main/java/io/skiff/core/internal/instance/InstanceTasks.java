package io.skiff.core.internal.instance;

import io.skiff.api.cell.Ack;
import io.skiff.api.model.InstanceState;
import io.skiff.api.model.TaskInfo;
import io.skiff.api.task.TaskEngine;
import io.skiff.api.task.TaskRequest;
import io.skiff.api.task.TaskStep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Set;

/**
 * Queues the tasks that change one existing instance (on its resource key {@code instance:<id>}, so that they run one
 * after the other) and builds the steps they share: marking the instance while a task works on it, a request to its
 * cell that takes nothing, and the state the task ends with.
 */
final class InstanceTasks {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceTasks.class);

    private final TaskEngine engine;
    private final InstanceRecords records;
    private final InstanceSettings settings;
    private final MarkStateStep markState;
    private final NoUndoStep noUndo;

    InstanceTasks(TaskEngine engine, InstanceRecords records, InstanceSettings settings, MarkStateStep markState,
                  NoUndoStep noUndo) {
        this.engine = engine;
        this.records = records;
        this.settings = settings;
        this.markState = markState;
        this.noUndo = noUndo;
    }

    TaskEngine engine() {
        return engine;
    }

    NoUndoStep noUndo() {
        return noUndo;
    }

    /** Queues a task on the instance. */
    TaskInfo submit(String name, InstanceRecord r, String user, List<TaskStep> steps) {
        TaskInfo task = engine.submit(new TaskRequest(name, Set.of("instance:" + r.id()), user, steps));
        LOG.info("instance {} ({}) {} queued as task {}", r.spec().name(), r.id(), name, task.id());
        return task;
    }

    /** Marks the instance as the task works on it; undo puts the previous state back. */
    TaskStep mark(String id, InstanceState transitional) {
        return markState.mark(id, transitional);
    }

    /** One request to a cell, through the typed contract (e.g. {@code calls.domains(cell).start(...)}). */
    @FunctionalInterface
    interface CellAction {
        Object run(CellCalls calls, String cell);
    }

    /** A request to the instance's cell that takes nothing (a power action, a removal that is never undone). */
    TaskStep cellAction(String name, String id, CellAction action) {
        return noUndo.step(name, ctx -> action.run(settings.calls(), StepTarget.record(ctx, records, id).cell()));
    }

    /** The state the task leaves the instance in; nothing to undo. */
    TaskStep done(String id, InstanceState state) {
        return noUndo.step("mark " + state.name().toLowerCase(), ctx -> records.setState(id, state, null));
    }
}
