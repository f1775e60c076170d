package dev.mbus.core.sim;

import dev.mbus.core.codec.CodecLimits;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Makes a scenario from a seed: 2 to 5 entities, fault rates (loss 0-30 %, duplication 0-20 %,
 * delay 0-50 ms, replay on or off), handler misbehaviour, the entities' configuration, a few
 * hundred sends over a few seconds (a tenth of the seeds some thousands, a twentieth over more
 * than the freshness window), and a few restarts, byes and crashes.
 */
final class ScenarioGenerator {

    /** Entities start within this much of the beginning. */
    static final int START_SPREAD_MILLIS = 50;
    private static final int[] WINDOWS = {4, 16, 64, 256};
    private static final int DEFAULT_QUEUE_PER_SENDER = 10_000;

    private ScenarioGenerator() {
    }

    static ScenarioPlan plan(long seed) {
        Random random = new Random(seed);
        List<String> names = new ArrayList<>();
        for (int i = 2 + random.nextInt(4); i > 0; i--) {
            names.add(String.valueOf((char) ('a' + names.size())));
        }
        SimSettings settings = settings(seed, random);
        int size = random.nextInt(20);
        long duration;
        int sends;
        if (size < 2) {
            duration = between(random, 3_000, 6_000);
            sends = (int) between(random, 1_000, 2_000);
        } else if (size == 2) {
            duration = between(random, 11_000, 15_000);
            sends = (int) between(random, 300, 600);
        } else {
            duration = between(random, 1_000, 3_000);
            sends = (int) between(random, 200, 500);
        }
        List<SimAction> actions = new ArrayList<>();
        for (String name : names) {
            actions.add(new SimAction.Start(random.nextInt(START_SPREAD_MILLIS), name));
        }
        for (int i = 0; i < sends; i++) {
            actions.add(send(random, names, between(random, 100, duration)));
        }
        for (int i = random.nextInt(5); i > 0; i--) {
            addLifecycle(random, pick(random, names), between(random, 200, duration), actions);
        }
        actions.sort(Comparator.comparingLong(SimAction::atMillis));
        return new ScenarioPlan(settings, List.copyOf(names), duration, List.copyOf(actions));
    }

    private static SimSettings settings(long seed, Random random) {
        NetworkFaults faults = new NetworkFaults(random.nextInt(31) / 100.0, random.nextInt(21) / 100.0,
                random.nextInt(51), random.nextBoolean());
        // Slow calls rare and short enough that handlers keep up: a backlog is not the engine's fault.
        HandlerBehaviour handlers = new HandlerBehaviour(random.nextInt(3) == 0 ? 0 : random.nextInt(6) / 100.0,
                1 + random.nextInt(20), random.nextInt(11) / 100.0, 0.25);
        int queuePerSender = random.nextInt(4) == 0 ? 4 + random.nextInt(61) : DEFAULT_QUEUE_PER_SENDER;
        int window = WINDOWS[random.nextInt(WINDOWS.length)];
        boolean batching = random.nextBoolean();
        boolean unicast = random.nextInt(4) != 0;
        int slots = 1 + random.nextInt(3);
        // Now and then the smallest bound the engine takes, so that admission refuses messages.
        long inboundBytes = random.nextInt(4) == 0 ? CodecLimits.MAX_DATAGRAM_BYTES : 64L << 20;
        return new SimSettings(seed, faults, handlers, window, queuePerSender, inboundBytes, batching, unicast, slots);
    }

    private static SimAction send(Random random, List<String> names, long at) {
        String from = pick(random, names);
        String to = pick(random, names.stream().filter(name -> !name.equals(from)).toList());
        if (random.nextInt(10) < 7) {
            return new SimAction.SendReliable(at, from, to);
        }
        return new SimAction.SendUnreliable(at, from, random.nextInt(5) < 2 ? null : to);
    }

    /** A restart (after a bye or a crash) with the same address, or a bye or crash for good. */
    private static void addLifecycle(Random random, String name, long at, List<SimAction> actions) {
        boolean crash = random.nextBoolean();
        actions.add(new SimAction.Leave(at, name, crash));
        if (random.nextInt(3) != 0) {
            actions.add(new SimAction.Start(at + between(random, 2, crash ? 1_000 : 300), name));
        }
    }

    private static long between(Random random, long low, long high) {
        return low + (long) (random.nextDouble() * (high - low + 1));
    }

    private static String pick(Random random, List<String> names) {
        return names.get(random.nextInt(names.size()));
    }
}
