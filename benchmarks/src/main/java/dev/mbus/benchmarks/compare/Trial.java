package dev.mbus.benchmarks.compare;

import dev.mbus.benchmarks.JsonLine;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * One system in one mode, receiver and sender each in a JVM of its own: both start and find each
 * other, a warm-up runs and is not counted, the JIT gets a moment to finish, then the measured run.
 */
final class Trial {

    private static final Duration START_LIMIT = Duration.ofSeconds(60);
    private static final Duration ANSWER_LIMIT = Duration.ofSeconds(45);
    /** The JIT compiles what the warm-up made hot in the background: let it finish rather than compete. */
    private static final Duration SETTLE = Duration.ofMillis(500);

    private final SystemUnderTest system;
    private final Mode mode;
    private final Lengths lengths;
    private final List<String> javaOptions;

    Trial(SystemUnderTest system, Mode mode, Lengths lengths, List<String> javaOptions) {
        this.system = system;
        this.mode = mode;
        this.lengths = lengths;
        this.javaOptions = javaOptions;
    }

    Outcome run() throws Exception {
        try (ChildJvm receiver = ChildJvm.start("receiver", system, mode, List.of(), javaOptions)) {
            List<String> address = Arrays.asList(receiver.expect("ready", START_LIMIT));
            try (ChildJvm sender = ChildJvm.start("sender", system, mode, address, javaOptions)) {
                sender.expect("ready", START_LIMIT);
                exchange(receiver, sender, lengths.warmupPlan(mode));
                Thread.sleep(SETTLE.toMillis());
                return exchange(receiver, sender, lengths.measuredPlan(mode));
            }
        }
    }

    /** The line of a trial that could not be measured. */
    JsonLine failure(Exception e) {
        return new JsonLine().put("system", system.label()).put("mode", mode.label()).put("error", e.toString());
    }

    @Override
    public String toString() {
        return system.label() + " " + mode.label();
    }

    private Outcome exchange(ChildJvm receiver, ChildJvm sender, Plan plan) throws Exception {
        receiver.request("reset", "ok", ANSWER_LIMIT);
        String[] sent = sender.request("run " + plan.toWords(), "sent", lengths.runLimit());
        long n = Long.parseLong(sent[0]);
        String[] count = receiver.request("stop " + n, "count", ANSWER_LIMIT);
        return new Outcome(system, mode, plan, n, Long.parseLong(sent[1]), Long.parseLong(count[0]),
                Long.parseLong(count[1]), Boolean.parseBoolean(sent[5]), Long.parseLong(sent[2]),
                Long.parseLong(sent[3]), Long.parseLong(sent[4]));
    }
}
