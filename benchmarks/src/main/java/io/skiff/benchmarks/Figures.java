package io.skiff.benchmarks;

import java.util.List;
import java.util.Locale;

/** Columns of measured rows printed as "median (min–max)". */
final class Figures {
    private Figures() {
    }

    /** @return "median (min–max) s" of one column, in seconds with two decimals */
    static String seconds(List<double[]> rows, int column) {
        return format(rows, column, 1, "%.2f (%.2f–%.2f) s", 22);
    }

    /**
     * @return "median (min–max)" of one column, divided by {@code unit}, NaNs left out, whole numbers from 10 up
     *     when {@code unit} is 1 (milliseconds); "-" when none
     */
    static String of(List<double[]> rows, int column, double unit) {
        boolean whole = unit == 1 && rows.stream().mapToDouble(r -> r[column]).filter(x -> !Double.isNaN(x)).min()
                .orElse(0) >= 10;
        return format(rows, column, unit, whole ? "%.0f (%.0f–%.0f)" : "%.2f (%.2f–%.2f)", 16);
    }

    private static String format(List<double[]> rows, int column, double unit, String f, int width) {
        double[] v = rows.stream().mapToDouble(r -> r[column] / unit).filter(x -> !Double.isNaN(x)).sorted()
                .toArray();
        String text = v.length == 0 ? "-" : String.format(Locale.ROOT, f, median(v), v[0], v[v.length - 1]);
        return String.format(Locale.ROOT, "%-" + width + "s", text);
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** @return the largest value of one column (NaNs left out), or NaN */
    static double max(List<double[]> rows, int column) {
        return rows.stream().mapToDouble(r -> r[column]).filter(x -> !Double.isNaN(x)).max().orElse(Double.NaN);
    }
}
