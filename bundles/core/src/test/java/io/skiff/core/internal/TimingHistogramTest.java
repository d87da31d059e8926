package io.skiff.core.internal;

import io.skiff.api.model.Timings;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Durations counted into their buckets: bounds inclusive, a last bucket above every bound, the sum in seconds. */
class TimingHistogramTest {

    @Test
    void eachDurationIsCountedInTheFirstBucketItFits() {
        TimingHistogram h = new TimingHistogram(new double[] {0.001, 0.01});
        h.record(500_000);      // 0.5 ms
        h.record(1_000_000);    // exactly 1 ms: the bound is inclusive
        h.record(5_000_000);    // 5 ms
        h.record(2_000_000_000L); // 2 s: above every bound
        Timings t = h.timings();
        assertEquals(List.of(0.001, 0.01, Double.POSITIVE_INFINITY), t.upperBoundsSeconds());
        assertEquals(List.of(2L, 1L, 1L), t.counts());
        assertEquals(4, t.count());
        assertEquals(2.0065, t.sumSeconds(), 1e-9);
    }
}
