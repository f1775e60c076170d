package dev.mbus.benchmarks.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LengthsTest {

    @Test
    void theLatencyModeWarmsUpAtItsRateForAtLeastTenSecondsAndIsMeasuredAtItsRate() {
        Plan warmup = Lengths.DEFAULT.warmupPlan(Mode.LATENCY);
        Plan measured = Lengths.DEFAULT.measuredPlan(Mode.LATENCY);

        assertThat(warmup).as("10 s worth at 10,000 a second, as many calls as it takes").isEqualTo(
                new Plan(100_000, Duration.ZERO, 10_000));
        assertThat(measured).as("5 s worth of messages at 10,000 a second").isEqualTo(new Plan(50_000, Duration.ZERO, 10_000));
        Lengths longer = new Lengths(Duration.ofSeconds(5), Duration.ofSeconds(30), 0, 10_000);
        assertThat(longer.warmupPlan(Mode.LATENCY)).as("a longer warm-up asked for is kept").isEqualTo(
                new Plan(300_000, Duration.ZERO, 10_000));
    }

    @Test
    void throughputModesWarmUpAndAreMeasuredForDurations() {
        assertThat(Lengths.DEFAULT.warmupPlan(Mode.RELIABLE)).isEqualTo(new Plan(0, Duration.ofSeconds(10), 0));
        assertThat(Lengths.DEFAULT.measuredPlan(Mode.UNRELIABLE)).isEqualTo(new Plan(0, Duration.ofSeconds(5), 0));
    }

    @Test
    void theQuickModeSendsAFewMessagesAtTheLatencyRate() {
        assertThat(Lengths.QUICK.warmupPlan(Mode.LATENCY)).isEqualTo(new Plan(500, Duration.ZERO, 10_000));
        assertThat(Lengths.QUICK.measuredPlan(Mode.RELIABLE)).isEqualTo(new Plan(2_000, Duration.ZERO, 0));
    }
}
