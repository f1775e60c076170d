package dev.mbus.benchmarks.idle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mbus.benchmarks.JsonLine;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The idle-entities benchmark in a small form: it builds a real bus and reports its figures (never judged here). */
class IdleEntitiesQuickTest {

    @Test
    void fiveEntitiesMeetAndTheirCostIsReportedAgainstTheCeiling() throws Exception {
        JsonLine line = IdleEntities.measure(5, Duration.ofSeconds(1), Duration.ofSeconds(3));

        assertThat(line.get("fewest_peers_known")).as("every entity heard the four others").isEqualTo(4);
        assertThat(line.get("ceiling_core_fraction")).isEqualTo(IdleEntities.CEILING_CORE_FRACTION);
        assertThat((Double) line.get("x_ceiling")).isGreaterThanOrEqualTo(0.0);
        assertThat(line.toString()).contains("\"timer_threads_core_fraction\":", "\"receive_threads_core_fraction\":");
    }
}
