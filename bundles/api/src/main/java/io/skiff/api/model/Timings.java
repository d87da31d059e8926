package io.skiff.api.model;

import java.util.List;

/**
 * How long something that happens often took, since the Core started, counted into buckets (a histogram in the way
 * Prometheus counts them): {@code counts.get(i)} events took at most {@code upperBoundsSeconds.get(i)} seconds and
 * more than the bound before it; the last bound is {@code +Inf}.
 *
 * @param upperBoundsSeconds the buckets' upper bounds, ascending, the last {@link Double#POSITIVE_INFINITY}
 * @param counts             events per bucket (not cumulative)
 * @param sumSeconds         how long all events took together
 * @since 2.5
 */
public record Timings(List<Double> upperBoundsSeconds, List<Long> counts, double sumSeconds) {

    public Timings {
        upperBoundsSeconds = List.copyOf(upperBoundsSeconds);
        counts = List.copyOf(counts);
        if (upperBoundsSeconds.size() != counts.size() || upperBoundsSeconds.isEmpty()
                || upperBoundsSeconds.get(upperBoundsSeconds.size() - 1) != Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("one count per bound, the last bound +Inf");
        }
    }

    /** @return how many events there were */
    public long count() {
        return counts.stream().mapToLong(Long::longValue).sum();
    }
}
