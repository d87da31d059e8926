package io.skiff.core.internal.instance;

import java.util.Map;

/**
 * The kind {@value #KIND}: steps that take nothing and so have nothing to give back (power actions, snapshots on the
 * cell, records of a finished change, batch items: each item's own task rolls back by itself). Their data only
 * informs.
 */
final class NoUndoStep extends StepKind<Void> {
    static final String KIND = "noop";

    NoUndoStep() {
        super(KIND);
    }

    @Override
    Void read(Map<String, String> data) {
        return null;
    }

    @Override
    void undo(Void data) {
        // nothing was taken
    }

}
