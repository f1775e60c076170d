package dev.mbus.cli;

/** The arithmetic of {@code mbus bench}'s figures: percentiles, rates and rounding. */
final class BenchStatistics {

    /** Upper bounds of the buckets of {@link #histogram}, in milliseconds. */
    private static final double[] BUCKET_MILLIS = {0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500};

    private BenchStatistics() {
    }

    /**
     * The nearest-rank percentile {@code p} (0..1) of {@code sorted} nanoseconds, in milliseconds:
     * the smallest value that at least that share of the values does not exceed; 0 when empty.
     */
    static double percentileMillis(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
        return millis(sorted[index]);
    }

    /** Nanoseconds in milliseconds to the microsecond; negative ones (clock steps) as 0. */
    static double millis(long nanos) {
        return round(Math.max(0, nanos) / 1e6, 3);
    }

    /** {@code count} per second over {@code nanos}; a span of 0 counts as a nanosecond. */
    static long perSecond(long count, long nanos) {
        return Math.round(count / Math.max(1e-9, nanos / 1e9));
    }

    static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }

    /**
     * How many of {@code sorted} nanoseconds fall in each bucket of milliseconds, empty ones left
     * out: {@code " <0.05:3 <0.1:7 >=500:1"}.
     */
    static String histogram(long[] sorted) {
        StringBuilder line = new StringBuilder();
        int from = 0;
        for (int b = 0; b <= BUCKET_MILLIS.length; b++) {
            int to = from;
            while (to < sorted.length && (b == BUCKET_MILLIS.length || sorted[to] < BUCKET_MILLIS[b] * 1e6)) {
                to++;
            }
            if (to > from) {
                line.append(b == BUCKET_MILLIS.length ? " >=" + BUCKET_MILLIS[b - 1] : " <" + BUCKET_MILLIS[b])
                        .append(':').append(to - from);
            }
            from = to;
        }
        return line.toString();
    }
}
