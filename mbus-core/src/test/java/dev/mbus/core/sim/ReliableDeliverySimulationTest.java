package dev.mbus.core.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reliable delivery under generated scenarios: lossy, duplicating, reordering and replaying
 * networks, restarts with the same address, byes and crashes, slow and throwing handlers. Seeds
 * 1 to {@code -Dmbus.sim.seeds} (500 unless told), or the one seed {@code -Dmbus.sim.seed}; a
 * failure's first line is the command that replays its seed.
 */
class ReliableDeliverySimulationTest {

    private static final int DEFAULT_SEEDS = 500;
    private static final String REPLAY = "mvn -pl mbus-core test -Dtest=ReliableDeliverySimulationTest -Dmbus.sim.seed=";

    @TestFactory
    Stream<DynamicTest> everySeedKeepsThePromisesOfReliableDelivery() {
        return seeds().map(seed -> DynamicTest.dynamicTest("seed " + seed, () -> {
            SimReport report = ScenarioGenerator.plan(seed).play();
            assertThat(report.isClean()).withFailMessage(() -> report.failureMessage(REPLAY + seed)).isTrue();
        }));
    }

    /** What makes a failure's replay command worth anything. */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void aSeedPlaysTheSameRunEveryTime(long seed) {
        String first = ScenarioGenerator.plan(seed).play().history().fingerprint();
        String second = ScenarioGenerator.plan(seed).play().history().fingerprint();

        assertThat(second).isEqualTo(first);
    }

    private static Stream<Long> seeds() {
        String single = System.getProperty("mbus.sim.seed", "").strip();
        if (!single.isEmpty()) {
            return Stream.of(Long.parseLong(single));
        }
        String count = System.getProperty("mbus.sim.seeds", "").strip();
        return LongStream.rangeClosed(1, count.isEmpty() ? DEFAULT_SEEDS : Integer.parseInt(count)).boxed();
    }
}
