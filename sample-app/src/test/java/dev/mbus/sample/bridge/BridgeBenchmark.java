package dev.mbus.sample.bridge;

import static dev.mbus.sample.bridge.BridgedBuses.WAIT;

import dev.mbus.core.engine.IncomingCommand;
import dev.mbus.core.engine.MbusEntity;
import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import dev.mbus.core.message.IntegerValue;
import dev.mbus.sample.bridge.BridgeMeters.Direction;
import dev.mbus.sample.bridge.BridgeMeters.Reason;
import dev.mbus.spring.core.MbusEngine;
import dev.mbus.spring.core.MbusOperations;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.test.utils.KafkaTestUtils;

/**
 * Not a test: a measurement, run only when asked for.
 *
 * <pre>
 * mvn -q -pl sample-app -am test -Dtest=BridgeBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Dbridge.bench=true
 *     [-Dbridge.bench.count=5000] [-Dbridge.bench.rate=200] [-Dbridge.bench.args=--spring.kafka.producer.properties.linger.ms=0]
 * </pre>
 *
 * Reliable {@code bench.ping (n sent-nanos)} from the controller on bus A to the player on bus B,
 * through bridge a, the broker and bridge b (all in this JVM): commands per second with up to
 * 512 unacknowledged sends, then, paced at {@code rate} a second, the latency from send to
 * handler, against the same path on bus A alone (to an entity of bus A). The difference is what
 * the bridge adds. Figures are indicative: one machine does everything.
 */
@EnabledIfSystemProperty(named = "bridge.bench", matches = "true")
class BridgeBenchmark {

    private static final Address DIRECT = Address.parse("(app:bench-direct)");

    @Test
    void commandsPerSecondAndAddedLatency() throws Exception {
        int count = Integer.getInteger("bridge.bench.count", 5000);
        int rate = Integer.getInteger("bridge.bench.rate", 200);
        String args = System.getProperty("bridge.bench.args", "");
        try (BridgedBuses buses = BridgedBuses.start(args.isBlank() ? new String[0] : args.trim().split("\\s+"));
                MbusEntity direct = buses.busA.startEntity(DIRECT.toString())) {
            Receiver bridged = new Receiver(buses.player);
            Receiver local = new Receiver(direct);
            buses.controller.awaitPeer(DIRECT, WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS);

            try {
                measure(buses, bridged, local, count, rate);
            } finally {
                System.out.println("bridge-bench: controller " + buses.controller.stats());
                System.out.println("bridge-bench: bridge a " + buses.bridgeA.getBean(MbusEngine.class).stats());
                System.out.println("bridge-bench: bridge b " + buses.bridgeB.getBean(MbusEngine.class).stats());
                System.out.println("bridge-bench: player " + buses.player.stats());
                for (Direction direction : Direction.values()) {
                    BridgeMeters a = buses.meters(buses.bridgeA);
                    BridgeMeters b = buses.meters(buses.bridgeB);
                    System.out.println("bridge-bench: " + direction + " forwarded a " + a.forwardedCount(direction)
                            + " b " + b.forwardedCount(direction) + "; failed a " + a.droppedCount(direction, Reason.FAILED)
                            + " b " + b.droppedCount(direction, Reason.FAILED));
                }
            }
        }
    }

    private static void measure(BridgedBuses buses, Receiver bridged, Receiver local, int count, int rate)
            throws Exception {
        run(buses.controller, BridgedBuses.PLAYER, bridged, Math.min(count, 1000), 0); // warm-up
        long start = System.nanoTime();
        run(buses.controller, BridgedBuses.PLAYER, bridged, count, 0);
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] throughputLatency = bridged.latencies();

        // What bridge b does for each record: one reliable send at a time, waiting for its acknowledgement.
        int serial = Math.min(count, 2000);
        local.expect(serial);
        long serialStart = System.nanoTime();
        for (int i = 0; i < serial; i++) {
            buses.controller.sendReliable(DIRECT, Command.of("bench.ping", i, System.nanoTime()))
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        double serialSeconds = (System.nanoTime() - serialStart) / 1e9;
        // The same from bridge b's own template to the player, as bridge b sends each record.
        MbusOperations template = buses.bridgeB.getBean(MbusOperations.class);
        long templateStart = System.nanoTime();
        for (int i = 0; i < serial; i++) {
            template.sendReliable(BridgedBuses.PLAYER, Command.of("bench.serial", i)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        double templateSeconds = (System.nanoTime() - templateStart) / 1e9;

        int paced = Math.max(100, Math.min(count, rate * 10));
        run(buses.controller, DIRECT, local, paced, rate);
        long[] directLatency = local.latencies();
        long[] toKafkaLatency;
        try (TopicTap tap = new TopicTap(buses, paced)) {
            run(buses.controller, BridgedBuses.PLAYER, bridged, paced, rate);
            toKafkaLatency = tap.latencies();
        }
        long[] bridgedLatency = bridged.latencies();

        System.out.printf("bridge-bench: %d reliable commands A to B in %.2f s: %.0f commands/s"
                        + " (send-to-handler under that load: p50 %.2f ms, p99 %.2f ms)%n", count, seconds,
                count / seconds, millis(throughputLatency, 50), millis(throughputLatency, 99));
        System.out.printf("bridge-bench: same bus, one reliable send at a time: %.0f acknowledged sends/s"
                + " (engine entity to entity), %.0f/s (bridge b's template to the player)%n",
                serial / serialSeconds, serial / templateSeconds);
        System.out.printf("bridge-bench: paced at %d/s, %d commands: bridged p50 %.2f ms p99 %.2f ms;"
                        + " same bus p50 %.2f ms p99 %.2f ms; added by the bridge p50 %.2f ms p99 %.2f ms%n",
                rate, paced, millis(bridgedLatency, 50), millis(bridgedLatency, 99), millis(directLatency, 50),
                millis(directLatency, 99), millis(bridgedLatency, 50) - millis(directLatency, 50),
                millis(bridgedLatency, 99) - millis(directLatency, 99));
        System.out.printf("bridge-bench: of which from the send on bus A to a consumer of the topic: p50 %.2f ms p99 %.2f ms%n",
                millis(toKafkaLatency, 50), millis(toKafkaLatency, 99));
    }

    /** Sends {@code count} pings and waits for all to be handled; {@code rate} 0: as fast as 512 in flight allow. */
    private static void run(MbusEntity sender, Address destination, Receiver receiver, int count, int rate)
            throws InterruptedException {
        receiver.expect(count);
        AtomicInteger failed = new AtomicInteger();
        Semaphore inFlight = new Semaphore(512);
        long interval = rate == 0 ? 0 : 1_000_000_000L / rate;
        long next = System.nanoTime();
        for (int i = 0; i < count; i++) {
            if (interval > 0) {
                LockSupport.parkNanos(next - System.nanoTime());
                next += interval;
            }
            if (!inFlight.tryAcquire(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("no acknowledgement for " + WAIT);
            }
            sender.sendReliable(destination, Command.of("bench.ping", i, System.nanoTime()))
                    .whenComplete((ok, error) -> {
                        inFlight.release();
                        if (error != null) {
                            failed.incrementAndGet();
                        }
                    });
        }
        receiver.await(failed);
    }

    private static double millis(long[] sortedNanos, int percentile) {
        if (sortedNanos.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.min(sortedNanos.length - 1L, Math.round(Math.ceil(percentile / 100.0 * sortedNanos.length)) - 1);
        return sortedNanos[Math.max(0, index)] / 1e6;
    }

    /** Records the send-to-handler time of each ping, by its number. */
    private static final class Receiver {
        private volatile long[] latencies = new long[0];
        private volatile CountDownLatch remaining = new CountDownLatch(0);

        Receiver(MbusEntity entity) {
            entity.subscribe("bench.ping", this::handle);
        }

        private void handle(IncomingCommand ping) {
            long now = System.nanoTime();
            int n = (int) ((IntegerValue) ping.arg(0)).value();
            long[] current = latencies;
            if (n < current.length && current[n] == 0) {
                current[n] = now - ((IntegerValue) ping.arg(1)).value();
                remaining.countDown();
            }
        }

        void expect(int count) {
            latencies = new long[count];
            remaining = new CountDownLatch(count);
        }

        void await(AtomicInteger failed) throws InterruptedException {
            if (!remaining.await(2 * WAIT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException(remaining.getCount() + " pings not handled within " + WAIT.multipliedBy(2)
                        + "; sends that failed: " + failed.get());
            }
        }

        long[] latencies() {
            long[] sorted = Arrays.copyOf(latencies, latencies.length);
            Arrays.sort(sorted);
            return sorted;
        }
    }

    /** A consumer of the topic of its own: when each ping can be read from Kafka, the half-way mark. */
    private static final class TopicTap implements AutoCloseable {
        private final long[] latencies;
        private final Thread thread;
        private volatile boolean running = true;

        TopicTap(BridgedBuses buses, int count) throws InterruptedException {
            latencies = new long[count];
            Map<String, Object> config = KafkaTestUtils.consumerProps(buses.kafka, "bench-tap", false);
            config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
            Consumer<String, String> consumer = new DefaultKafkaConsumerFactory<>(config, new StringDeserializer(),
                    new StringDeserializer()).createConsumer();
            CountDownLatch assigned = new CountDownLatch(1);
            thread = new Thread(() -> {
                try (consumer) {
                    consumer.subscribe(List.of(BridgedBuses.TOPIC));
                    while (running) {
                        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(50))) {
                            take(record.value());
                        }
                        if (!consumer.assignment().isEmpty()) {
                            assigned.countDown();
                        }
                    }
                }
            }, "bench-topic-tap");
            thread.start();
            if (!assigned.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("the tap got no partition");
            }
        }

        /** {@code bench.ping (n sent-nanos)}. */
        private void take(String value) {
            long now = System.nanoTime();
            if (value.startsWith("bench.ping (")) {
                String[] fields = value.substring("bench.ping (".length(), value.length() - 1).split(" ");
                int n = Integer.parseInt(fields[0]);
                if (n < latencies.length && latencies[n] == 0) {
                    latencies[n] = now - Long.parseLong(fields[1]);
                }
            }
        }

        long[] latencies() {
            long[] sorted = Arrays.stream(latencies).filter(latency -> latency > 0).toArray();
            Arrays.sort(sorted);
            return sorted;
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(WAIT.toMillis());
        }
    }
}
