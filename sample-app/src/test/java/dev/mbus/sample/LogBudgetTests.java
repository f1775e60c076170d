package dev.mbus.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The log budget on a clock the test moves by hand. */
class LogBudgetTests {

    private final AtomicLong nanos = new AtomicLong(1_000);
    private final LogBudget budget = new LogBudget(10, nanos::get);

    @Test
    void aBurstOfTwiceTheRateThenNothingUntilTimePasses() {
        List<String> admitted = admitAll(100);
        assertThat(admitted).hasSize(20).containsOnly("");
        nanos.addAndGet(100_000_000); // 0.1 s: one line
        assertThat(budget.admit()).isEqualTo(" (80 similar lines dropped before this one)");
        assertThat(budget.admit()).isNull();
    }

    @Test
    void aFloodIsHeldToTheRate() {
        int written = 0;
        for (int tick = 0; tick < 1_000; tick++) { // 10 s, 1,000 lines asked for every 10 ms
            nanos.addAndGet(10_000_000);
            written += admitAll(1_000).size();
        }
        assertThat(written).isBetween(100, 100 + 20);
    }

    @Test
    void theRateMustAllowALine() {
        assertThatThrownBy(() -> new LogBudget(0, nanos::get)).hasMessageContaining("sample.log.lines-per-second");
    }

    private List<String> admitAll(int lines) {
        List<String> admitted = new ArrayList<>();
        for (int i = 0; i < lines; i++) {
            String note = budget.admit();
            if (note != null) {
                admitted.add(note);
            }
        }
        return admitted;
    }
}
