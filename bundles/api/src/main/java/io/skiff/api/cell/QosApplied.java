package io.skiff.api.cell;

import java.util.List;

/**
 * What a cell applied to a running instance.
 *
 * @param instanceId instance id
 * @param applied what took effect at once, in words (empty when the instance does not run)
 * @param nextStart what waits for the next start, in words
 */
public record QosApplied(String instanceId, List<String> applied, List<String> nextStart) {

    public QosApplied {
        applied = applied == null ? List.of() : List.copyOf(applied);
        nextStart = nextStart == null ? List.of() : List.copyOf(nextStart);
    }
}
