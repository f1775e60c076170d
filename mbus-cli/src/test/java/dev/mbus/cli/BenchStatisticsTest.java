package dev.mbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The figures {@code mbus bench} prints: nearest-rank percentiles, rates, rounding, the latency histogram. */
class BenchStatisticsTest {

    private static final long MS = 1_000_000;

    @Test
    void percentilesAreNearestRankOfTheSortedValues() {
        long[] oneToHundredMs = LongStream.rangeClosed(1, 100).map(i -> i * MS).toArray();

        assertThat(BenchStatistics.percentileMillis(oneToHundredMs, 0.50)).isEqualTo(50.0);
        assertThat(BenchStatistics.percentileMillis(oneToHundredMs, 0.99)).isEqualTo(99.0);
        assertThat(BenchStatistics.percentileMillis(oneToHundredMs, 0.999)).as("past the last rank: the largest")
                .isEqualTo(100.0);
        assertThat(BenchStatistics.percentileMillis(oneToHundredMs, 0.0)).as("the smallest").isEqualTo(1.0);
    }

    @Test
    void aFewValuesGiveTheirOwnPercentilesAndNoneGivesZero() {
        assertThat(BenchStatistics.percentileMillis(new long[0], 0.99)).isZero();
        assertThat(BenchStatistics.percentileMillis(new long[] {7 * MS}, 0.5)).isEqualTo(7.0);
        long[] three = {1 * MS, 2 * MS, 30 * MS};
        assertThat(BenchStatistics.percentileMillis(three, 0.5)).isEqualTo(2.0);
        assertThat(BenchStatistics.percentileMillis(three, 0.99)).isEqualTo(30.0);
    }

    @Test
    void millisecondsToTheMicrosecondAndNeverNegative() {
        assertThat(BenchStatistics.millis(1_234_567)).isEqualTo(1.235);
        assertThat(BenchStatistics.millis(40_400)).isEqualTo(0.04);
        assertThat(BenchStatistics.millis(-5)).isZero();
        assertThat(BenchStatistics.round(0.1234565, 6)).isEqualTo(0.123457);
    }

    @Test
    void ratesPerSecondSurviveAZeroSpan() {
        assertThat(BenchStatistics.perSecond(500, 250 * MS)).isEqualTo(2000);
        assertThat(BenchStatistics.perSecond(3, 0)).as("a span of 0 counts as a nanosecond").isEqualTo(3_000_000_000L);
    }

    @Test
    void theHistogramCountsEachBucketAndLeavesEmptyOnesOut() {
        long[] sorted = {10_000, 70_000, 99_999, 150_000, 600 * MS};

        assertThat(BenchStatistics.histogram(sorted)).isEqualTo(" <0.05:1 <0.1:2 <0.2:1 >=500.0:1");
        assertThat(BenchStatistics.histogram(new long[0])).isEmpty();
    }
}
