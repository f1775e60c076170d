package dev.mbus.core.idle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

/** A run with nothing left waits for more only while such waits have paid off. */
class AdaptiveIdleWaitTest {

    private static final Thread SUBMITTER = new Thread(() -> { });

    /** A wait that finds more on the runs its predicate picks, and records on which runs it was asked to wait. */
    private static final class ScriptedWait implements IdleWait {
        final List<Integer> waitedOn = new ArrayList<>();
        final IntPredicate findsMoreOn;
        int run;

        ScriptedWait(IntPredicate findsMoreOn) {
            this.findsMoreOn = findsMoreOn;
        }

        @Override
        public boolean awaitMore(Thread submitter, BooleanSupplier more) {
            waitedOn.add(run);
            return findsMoreOn.test(run);
        }
    }

    private static ScriptedWait runs(int count, IntPredicate findsMoreOn) {
        ScriptedWait scripted = new ScriptedWait(findsMoreOn);
        AdaptiveIdleWait adaptive = new AdaptiveIdleWait(scripted);
        for (scripted.run = 1; scripted.run <= count; scripted.run++) {
            adaptive.awaitMore(SUBMITTER, () -> false);
        }
        return scripted;
    }

    @Test
    void afterEachWaitInVainTwiceAsManyRunsGiveTheirThreadBackAtOnceUpToALimit() {
        ScriptedWait inVain = runs(10_000, run -> false);

        assertThat(inVain.waitedOn.subList(0, 8)).as("1 run skipped, then 2, 4, 8, 16, 32, 64")
                .containsExactly(1, 3, 6, 11, 20, 37, 70, 135);
        for (int i = 8; i < inVain.waitedOn.size(); i++) {
            assertThat(inVain.waitedOn.get(i) - inVain.waitedOn.get(i - 1)).as("it still looks now and then")
                    .isEqualTo(AdaptiveIdleWait.MAX_SKIPPED_RUNS + 1);
        }
        assertThat(inVain.waitedOn.size()).as("a sender slower than the wait costs a wait in 65 runs, not each")
                .isLessThan(10_000 / 64 + 8);
    }

    @Test
    void aWaitThatFoundMoreMakesEveryRunWaitAgain() {
        ScriptedWait paid = runs(300, run -> run >= 135 && run < 200); // a flow from run 135 to 199

        assertThat(paid.waitedOn).as("from the wait that paid on, every run waits; once they miss, fewer")
                .startsWith(1, 3, 6, 11, 20, 37, 70, 135, 136, 137, 138)
                .endsWith(198, 199, 200, 202, 205, 210, 219, 236, 269);
    }

    @Test
    void aRunThatDoesNotWaitStillSeesWhatCameMeanwhile() {
        AdaptiveIdleWait adaptive = new AdaptiveIdleWait((submitter, more) -> false);
        assertThat(adaptive.awaitMore(SUBMITTER, () -> false)).isFalse();

        assertThat(adaptive.awaitMore(SUBMITTER, () -> true)).as("skipped, but more is there").isTrue();
    }
}
