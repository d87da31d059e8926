package io.skiff.core.internal;

import io.skiff.api.model.Timings;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * Durations counted into fixed buckets as they happen, cheaply and without a lock (many threads record at once), read
 * as {@link Timings} when metrics are scraped.
 */
public final class TimingHistogram {
    private static final double[] FAST = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1};
    private static final double[] SLOW = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300};

    private final double[] bounds;
    private final LongAdder[] counts;
    private final DoubleAdder sum = new DoubleAdder();

    /** @return a histogram for things that take about a millisecond (a journal's fsync): 0.5 ms to 1 s */
    public static TimingHistogram fast() {
        return new TimingHistogram(FAST);
    }

    /** @return a histogram for things that take up to minutes (a task's step, a cell's work): 5 ms to 5 min */
    public static TimingHistogram slow() {
        return new TimingHistogram(SLOW);
    }

    /** @param bounds upper bounds in seconds, ascending; a last bucket above them is added */
    public TimingHistogram(double[] bounds) {
        this.bounds = bounds.clone();
        this.counts = new LongAdder[bounds.length + 1];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    /** Counts one event that took {@code nanos}. */
    public void record(long nanos) {
        double seconds = Math.max(0, nanos) / 1e9;
        int bucket = 0;
        while (bucket < bounds.length && seconds > bounds[bucket]) {
            bucket++;
        }
        counts[bucket].increment();
        sum.add(seconds);
    }

    /** @return what was counted so far */
    public Timings timings() {
        List<Double> upper = new ArrayList<>(counts.length);
        List<Long> n = new ArrayList<>(counts.length);
        for (int i = 0; i < counts.length; i++) {
            upper.add(i < bounds.length ? bounds[i] : Double.POSITIVE_INFINITY);
            n.add(counts[i].sum());
        }
        return new Timings(upper, n, sum.sum());
    }
}
