package dev.mbus.benchmarks.idle;

import dev.mbus.benchmarks.FreePorts;
import dev.mbus.benchmarks.JsonLine;
import dev.mbus.core.engine.EntityConfig;
import dev.mbus.core.engine.EntityStats;
import dev.mbus.core.engine.MbusEntity;
import dev.mbus.core.message.Address;
import dev.mbus.core.security.CipherAlgorithm;
import dev.mbus.core.security.HashAlgorithm;
import dev.mbus.core.security.MbusKeys;
import dev.mbus.core.transport.Scope;
import dev.mbus.core.transport.TransportSettings;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/**
 * What entities that have nothing to do cost: {@code N} entities in this JVM on a private
 * loopback bus, all aware of each other, then a measured window in which no one sends anything
 * but the protocol's own hellos. Prints one JSON line: the CPU the process used in that window
 * beyond what the same JVM used before the entities started,
 * as a fraction of one core and as a ratio to the ceiling of 1 % of a core.
 *
 * <p>Run with {@code java -cp benchmarks/target/benchmarks.jar dev.mbus.benchmarks.idle.IdleEntities
 * [--entities 100] [--seconds 60] [--settle-seconds 25]}.
 */
public final class IdleEntities {

    /** The goal: all the idle entities together under this share of one core. */
    static final double CEILING_CORE_FRACTION = 0.01;
    /** How long the JVM's own cost is measured before the entities start. */
    private static final Duration BASELINE = Duration.ofSeconds(10);
    /** Enough readings of the figures for the JIT's last tier to compile what they run. */
    private static final int WARM_UP_READINGS = 100;
    private static final MbusKeys KEYS = new MbusKeys(HashAlgorithm.HMAC_MD5_96,
            "idle-entities-key".getBytes(StandardCharsets.US_ASCII), CipherAlgorithm.NOENCR, null);

    private IdleEntities() {
    }

    public static void main(String[] args) throws InterruptedException {
        int entities = 100;
        // Several hello intervals (about 20 s with 100 peers), since the hellos come in waves.
        Duration window = Duration.ofSeconds(60);
        // Long enough for the hellos to go round and for the JIT to be done with the start-up.
        Duration settle = Duration.ofSeconds(25);
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 == args.length) {
                throw new IllegalArgumentException("option " + args[i] + " needs a value");
            }
            int value = Integer.parseInt(args[i + 1]);
            switch (args[i]) {
                case "--entities" -> entities = value;
                case "--seconds" -> window = Duration.ofSeconds(value);
                case "--settle-seconds" -> settle = Duration.ofSeconds(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; usage: IdleEntities [--entities N] [--seconds S] [--settle-seconds S]");
            }
        }
        System.out.println(measure(entities, window, settle));
    }

    /** Starts the entities, lets them meet, measures the window, closes them. */
    static JsonLine measure(int count, Duration window, Duration settle) throws InterruptedException {
        Duration baselineWindow = window.compareTo(BASELINE) < 0 ? window : BASELINE;
        double baselineFraction = cpuOver(baselineWindow) / (double) baselineWindow.toNanos();
        TransportSettings bus = TransportSettings.defaults().withPort(FreePorts.udp()).withNetworkInterface("lo")
                .withScope(Scope.HOSTLOCAL);
        List<MbusEntity> entities = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                entities.add(MbusEntity.start(EntityConfig.builder().address(Address.of("app:idle"))
                        .keys(KEYS).transportSettings(bus).build()));
            }
            // Read what the window reads, as often as the JIT needs to compile it, during the settle:
            // the bench's own reading of stats and thread times is not compiled inside the window.
            Thread.sleep(settle.toMillis() / 2);
            for (int i = 0; i < WARM_UP_READINGS; i++) {
                readFigures(entities);
            }
            Thread.sleep(settle.toMillis() - settle.toMillis() / 2);
            long jitBefore = jitMillis();
            Map<String, Long> threadsBefore = mbusThreadsCpu();
            long sentBefore = total(entities, EntityStats::sent);
            long receivedBefore = total(entities, EntityStats::received);
            long idleNanos = cpuOver(window);
            long sentInWindow = total(entities, EntityStats::sent) - sentBefore;
            long receivedInWindow = total(entities, EntityStats::received) - receivedBefore;
            Map<String, Long> threadsAfter = mbusThreadsCpu();
            long jitInWindow = jitMillis() - jitBefore;
            int fewestPeers = entities.stream().mapToInt(entity -> entity.peers().size()).min().orElse(0);
            double windowNanos = window.toNanos();
            double fraction = Math.max(0, idleNanos / windowNanos - baselineFraction);
            JsonLine line = new JsonLine().put("bench", "idle-entities").put("entities", count)
                    .put("seconds", window.toSeconds())
                    .put("fewest_peers_known", fewestPeers)
                    .put("datagrams_sent_per_s", round(sentInWindow / (double) window.toSeconds()))
                    .put("messages_received_per_s", round(receivedInWindow / (double) window.toSeconds()))
                    .put("core_fraction", round(fraction))
                    .put("ceiling_core_fraction", CEILING_CORE_FRACTION)
                    .put("x_ceiling", round(fraction / CEILING_CORE_FRACTION))
                    .put("process_core_fraction", round(idleNanos / windowNanos))
                    .put("baseline_core_fraction", round(baselineFraction))
                    .put("jit_ms_in_window", jitInWindow);
            threadsAfter.forEach((kind, nanos) -> line.put(kind + "_threads_core_fraction",
                    round((nanos - threadsBefore.getOrDefault(kind, 0L)) / windowNanos)));
            return line;
        } finally {
            entities.forEach(MbusEntity::close);
        }
    }

    /** Reads the figures the window reads, and throws them away. */
    private static void readFigures(List<MbusEntity> entities) {
        total(entities, EntityStats::sent);
        total(entities, EntityStats::received);
        mbusThreadsCpu();
        jitMillis();
    }

    /** The time the JIT compilers have spent so far, to tell compilation from the entities' own work. */
    private static long jitMillis() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
    }

    /** A count summed over the entities: what they sent (hellos and all), or received from each other. */
    private static long total(List<MbusEntity> entities, ToLongFunction<EntityStats> count) {
        return entities.stream().mapToLong(entity -> count.applyAsLong(entity.stats())).sum();
    }

    /** The CPU time this process uses while it sleeps for {@code window}. */
    private static long cpuOver(Duration window) throws InterruptedException {
        long before = processCpuNanos();
        Thread.sleep(window.toMillis());
        return processCpuNanos() - before;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** The CPU time of the live threads the engine made, by kind ({@code mbus-timer-7}: {@code timer}). */
    private static Map<String, Long> mbusThreadsCpu() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<String, Long> byKind = new TreeMap<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith("mbus-")) {
                String kind = info.getThreadName().split("-")[1];
                byKind.merge(kind, Math.max(0, threads.getThreadCpuTime(info.getThreadId())), Long::sum);
            }
        }
        return byKind;
    }

    private static double round(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }
}
