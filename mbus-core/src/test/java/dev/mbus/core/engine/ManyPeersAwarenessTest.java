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

    private static void join100(MemoryBus bus) {
        for (int i = 0; i < 100; i++) {
            bus.join("(app:many n:" + i + ")");
            bus.run(Duration.ofMillis(50)); // joining one after another, as processes start
        }
    }

    @Test
    void a100EntityBusKeepsEveryPeerKnownToEveryEntity() {
        try (MemoryBus bus = new MemoryBus(100)) {
            join100(bus);
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

    @Test
    void anIdleEntityOfA100EntityBusWakesForItsHellosAlone() {
        // Every wake-up of a timer thread costs a context switch and a cold run of every duty:
        // 100 idle entities that each woke every 5 s spent more on that than on their hellos.
        try (MemoryBus bus = new MemoryBus(101)) {
            join100(bus);
            bus.run(Duration.ofSeconds(60));
            MbusEntity watched = bus.entities.get(50);
            long sentBefore = watched.stats().sent();
            int wakes = 0;
            long due = watched.timersDueNanos();
            for (int tick = 0; tick < Duration.ofSeconds(120).dividedBy(MemoryBus.TICK); tick++) {
                bus.run(MemoryBus.TICK);
                if (bus.clock.nanoTime() - due >= 0) {
                    wakes++;
                }
                due = watched.timersDueNanos();
            }
            long hellos = watched.stats().sent() - sentBefore;

            assertThat(hellos).as("hellos in 120 s, about 20 s apart").isBetween(4L, 8L);
            assertThat(wakes).as("times the timer thread would have woken").isLessThanOrEqualTo((int) hellos + 1);
        }
    }
}
