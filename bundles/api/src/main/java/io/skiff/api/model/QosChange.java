package io.skiff.api.model;

import java.util.List;

/**
 * The outcome of a QoS change.
 *
 * @param instanceId the instance
 * @param qos the QoS now in force (stored, and in the domain definition)
 * @param live whether the running guest got it at once; {@code false}: it takes effect at the next start
 * @param applied what was applied live, in words (empty when nothing was)
 * @param nextStart what waits for the next start, in words (empty when nothing does)
 */
public record QosChange(String instanceId, Qos qos, boolean live, List<String> applied, List<String> nextStart) {

    public QosChange {
        applied = applied == null ? List.of() : List.copyOf(applied);
        nextStart = nextStart == null ? List.of() : List.copyOf(nextStart);
    }
}
