package dev.mbus.core.sim;

import java.time.Duration;
import java.util.Random;

/**
 * How the simulated application's handlers misbehave, per call: some take virtual time, some
 * throw. A handler records what it handled before it does either, so a throwing handler still
 * counts as having handled its command.
 *
 * @param slowChance      chance that a call takes time
 * @param maxSlowMillis   a slow call takes 1 to this many milliseconds
 * @param throwChance     chance that a call throws
 * @param assertionShare  of the throwing calls, the share that throw {@link AssertionError}
 *                        rather than a {@link RuntimeException}
 */
record HandlerBehaviour(double slowChance, int maxSlowMillis, double throwChance, double assertionShare) {

    static final HandlerBehaviour WELL_BEHAVED = new HandlerBehaviour(0, 1, 0, 0);

    /** Plays one call's part after it was recorded: maybe takes time on {@code executor}, maybe throws. */
    void actOut(Random random, SimExecutor executor) {
        if (random.nextDouble() < slowChance) {
            executor.spend(Duration.ofMillis(1 + random.nextInt(maxSlowMillis)));
        }
        if (random.nextDouble() < throwChance) {
            if (random.nextDouble() < assertionShare) {
                throw new AssertionError("simulated handler assertion");
            }
            throw new IllegalStateException("simulated handler failure");
        }
    }

    @Override
    public String toString() {
        return String.format("handlers slow %.0f %% (1..%d ms), throwing %.0f %% (%.0f %% of them AssertionError)",
                slowChance * 100, maxSlowMillis, throwChance * 100, assertionShare * 100);
    }
}
