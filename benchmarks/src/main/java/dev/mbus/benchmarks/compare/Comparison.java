package dev.mbus.benchmarks.compare;

import dev.mbus.benchmarks.JsonLine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The engine beside the systems a Java user would pick instead for local messaging, in one run
 * and in the same shape: for each system and mode a receiver and a sender in JVMs of their own on
 * loopback, {@value Payload#BYTES}-byte payloads, a warm-up, then the measured run, the receiver
 * counting from its first arrival to its last. Prints one JSON line per system and mode, with
 * ratios to raw datagrams and to Aeron in the same run.
 *
 * <p>Run with {@code java -cp benchmarks/target/benchmarks.jar dev.mbus.benchmarks.compare.Comparison
 * [--quick] [--seconds S] [--warmup-seconds S] [--latency-rate R] [--only SYSTEM,...]
 * [--java-options "OPTIONS"]}. Exits 0 when every trial ran, 1 when one failed (its line says
 * why), 2 on bad arguments, 3 when the whole run overstayed its limit.
 */
public final class Comparison {

    private Comparison() {
    }

    public static void main(String[] args) throws InterruptedException {
        Lengths lengths = Lengths.DEFAULT;
        List<SystemUnderTest> systems = new ArrayList<>(List.of(SystemUnderTest.values()));
        List<String> javaOptions = List.of();
        try {
            for (int i = 0; i < args.length; i++) {
                String option = args[i];
                if (option.equals("--quick")) {
                    lengths = Lengths.QUICK;
                    continue;
                }
                if (i + 1 == args.length) {
                    throw new IllegalArgumentException("option " + option + " needs a value");
                }
                String value = args[++i];
                switch (option) {
                    case "--seconds" -> lengths = new Lengths(seconds(value), lengths.warmup(), 0, lengths.latencyRate());
                    case "--warmup-seconds" -> lengths = new Lengths(lengths.measured(), seconds(value), 0,
                            lengths.latencyRate());
                    case "--latency-rate" -> lengths = new Lengths(lengths.measured(), lengths.warmup(),
                            lengths.quickMessages(), positive(Double.parseDouble(value), option));
                    case "--only" -> systems = Arrays.stream(value.split(",")).map(SystemUnderTest::fromLabel)
                            .sorted().distinct().toList();
                    case "--java-options" -> javaOptions = List.of(value.strip().split("\\s+"));
                    default -> throw new IllegalArgumentException("unknown option " + option);
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println("comparison: " + e.getMessage());
            System.exit(2);
        }
        List<Trial> trials = new ArrayList<>();
        for (SystemUnderTest system : systems) {
            for (Mode mode : system.modes()) {
                trials.add(new Trial(system, mode, lengths, javaOptions));
            }
        }
        startWatchdog(lengths.runLimit().plusMinutes(3).multipliedBy(trials.size()));
        System.exit(run(trials) ? 0 : 1);
    }

    /** Runs every trial, then prints a line for each, ratios included; whether all of them ran. */
    private static boolean run(List<Trial> trials) throws InterruptedException {
        List<Object> results = new ArrayList<>();
        Map<Mode, Outcome> raw = new EnumMap<>(Mode.class);
        Map<Mode, Outcome> aeron = new EnumMap<>(Mode.class);
        boolean allRan = true;
        for (Trial trial : trials) {
            System.err.println("comparison: " + trial);
            try {
                Outcome outcome = trial.run();
                results.add(outcome);
                if (outcome.system() == SystemUnderTest.RAW) {
                    raw.put(outcome.mode(), outcome);
                } else if (outcome.system() == SystemUnderTest.AERON) {
                    aeron.put(outcome.mode(), outcome);
                }
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    throw (InterruptedException) e;
                }
                allRan = false;
                results.add(trial.failure(e));
            }
        }
        for (Object result : results) {
            if (result instanceof Outcome outcome) {
                // Raw datagrams have no reliable mode: every throughput figure is set against raw's unreliable one.
                Outcome rawPeer = raw.get(outcome.mode() == Mode.LATENCY ? Mode.LATENCY : Mode.UNRELIABLE);
                System.out.println(outcome.toJson(rawPeer, aeron.get(outcome.mode())));
            } else {
                System.out.println(result);
            }
        }
        return allRan;
    }

    private static Duration seconds(String value) {
        return Duration.ofMillis(Math.round(positive(Double.parseDouble(value), "seconds") * 1000));
    }

    private static double positive(double value, String what) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(what + " must be more than 0: " + value);
        }
        return value;
    }

    /** Ends the run whatever happens, so that it never hangs a script; the children go with it. */
    private static void startWatchdog(Duration limit) {
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(limit.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            System.out.println(new JsonLine().put("error", "the run took more than " + limit.toMinutes() + " minutes"));
            System.exit(3);
        }, "comparison-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }
}
