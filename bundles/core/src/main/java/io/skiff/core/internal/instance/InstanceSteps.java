package io.skiff.core.internal.instance;

import io.skiff.api.task.StepContext;
import io.skiff.api.task.TaskStep;
import io.skiff.api.task.UndoHandler;

/** Builds task steps from lambdas; the undo half also serves, by kind, to roll back after a restart. */
final class InstanceSteps {
    private InstanceSteps() {
    }

    interface Action {
        void run(StepContext context) throws Exception;
    }

    static TaskStep step(String name, String kind, Action apply, Action undo) {
        return new TaskStep() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String kind() {
                return kind;
            }

            @Override
            public void apply(StepContext context) throws Exception {
                apply.run(context);
            }

            @Override
            public void undo(StepContext context) throws Exception {
                undo.run(context);
            }
        };
    }

    static UndoHandler undoHandler(String kind, Action undo) {
        return new UndoHandler() {
            @Override
            public String kind() {
                return kind;
            }

            @Override
            public void undo(StepContext context) throws Exception {
                undo.run(context);
            }
        };
    }
}
