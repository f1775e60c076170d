package dev.mbus.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Many entities on one bus keep knowing each other: each says hello at an interval that grows
 * with the number of peers it knows, and one that knows fewer must not take another's longer
 * interval for silence (in memory, on the manual clock).
 */
class ManyPeersAwarenessTest {

    @Test
    void a100EntityBusKeepsEveryPeerKnownToEveryEntity() {
        try (MemoryBus bus = new MemoryBus(100)) {
            for (int i = 0; i < 100; i++) {
                bus.join("(app:many n:" + i + ")");
                bus.run(Duration.ofMillis(50)); // joining one after another, as processes start
            }
            int[] fewest = new int[1];
            fewest[0] = Integer.MAX_VALUE;
            for (int minute = 0; minute < 5; minute++) {
                bus.run(Duration.ofSeconds(60));
                fewest[0] = Math.min(fewest[0], bus.entities.stream().mapToInt(e -> e.peers().size()).min().orElse(0));
            }
            int[] known = bus.entities.stream().mapToInt(e -> e.peers().size()).toArray();
            assertThat(fewest[0]).as("fewest peers known by an entity at the end of each minute; now %s",
                    IntStream.of(known).summaryStatistics()).isEqualTo(99);
        }
    }
}
