package dev.mbus.core.reliable;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mbus.core.reliable.ReceiveSequencer.Outcome;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReceiveSequencerTest {

    private static final long HOLD = 700;
    private final ReceiveSequencer<String> sequencer = new ReceiveSequencer<>(HOLD);
    private final List<String> delivered = new ArrayList<>();

    private Outcome reliable(long sequence, long timestamp, long now) {
        return sequencer.accept(sequence, timestamp, true, "r" + sequence, now, delivered::add);
    }

    private Outcome unreliable(long sequence, long timestamp) {
        return sequencer.accept(sequence, timestamp, false, "u" + sequence, 0, delivered::add);
    }

    @Test
    void deliversInOrderAcrossAGapFilledLater() {
        assertThat(reliable(10, 1, 0)).isEqualTo(Outcome.DELIVERED);
        assertThat(reliable(12, 1, 0)).isEqualTo(Outcome.HELD);
        assertThat(reliable(13, 1, 0)).isEqualTo(Outcome.HELD);
        assertThat(reliable(11, 1, 50)).isEqualTo(Outcome.DELIVERED);

        assertThat(delivered).containsExactly("r10", "r11", "r12", "r13");
        assertThat(sequencer.held()).isZero();
    }

    @Test
    void unreliableMessagesPassAtOnceAndFillGaps() {
        reliable(1, 1, 0);
        assertThat(reliable(3, 1, 0)).isEqualTo(Outcome.HELD);
        assertThat(unreliable(2, 1)).isEqualTo(Outcome.DELIVERED);

        assertThat(delivered).containsExactly("r1", "u2", "r3");
    }

    @Test
    void messagesForOthersFillGapsWithoutBeingDelivered() {
        reliable(1, 1, 0);
        reliable(3, 1, 0);
        sequencer.accept(2, 1, false, null, 0, delivered::add);

        assertThat(delivered).containsExactly("r1", "r3");
    }

    @Test
    void heldMessagesAreReleasedInOrderWhenTheHoldTimeEnds() {
        reliable(1, 1, 0);
        reliable(4, 1, 100);
        reliable(3, 1, 200);
        sequencer.onTimer(100 + HOLD - 1, delivered::add);
        assertThat(delivered).containsExactly("r1");

        sequencer.onTimer(100 + HOLD, delivered::add);

        assertThat(delivered).containsExactly("r1", "r3", "r4");
        assertThat(reliable(2, 1, 900)).as("the late message still arrives once").isEqualTo(Outcome.DELIVERED);
        assertThat(reliable(2, 1, 901)).isEqualTo(Outcome.DUPLICATE);
    }

    @Test
    void duplicatesAreRecognisedAheadOfAndBehindTheNextNumber() {
        reliable(1, 1, 0);
        reliable(3, 1, 0);
        assertThat(reliable(3, 1, 0)).isEqualTo(Outcome.DUPLICATE);
        assertThat(reliable(1, 1, 0)).isEqualTo(Outcome.DUPLICATE);
        assertThat(unreliable(1, 1)).isEqualTo(Outcome.DUPLICATE);
        assertThat(delivered).containsExactly("r1");
    }

    @Test
    void numbersFarBehindTheWindowAreStale() {
        reliable(100_000, 5, 0);
        assertThat(reliable(100_000 - ReceiveSequencer.WINDOW, 5, 0)).isEqualTo(Outcome.DUPLICATE);
    }

    @Test
    void aLowerNumberWithANewerTimestampIsARestartedSender() {
        reliable(500, 10, 0);
        reliable(501, 10, 0);

        assertThat(reliable(1, 11, 0)).isEqualTo(Outcome.DELIVERED);
        assertThat(reliable(2, 11, 0)).isEqualTo(Outcome.DELIVERED);
        assertThat(delivered).containsExactly("r500", "r501", "r1", "r2");
    }

    @Test
    void aJumpBeyondHalfTheWindowStartsAfresh() {
        reliable(1, 1, 0);
        long far = 1 + ReceiveSequencer.WINDOW / 2 + 10;
        assertThat(reliable(far, 2, 0)).isEqualTo(Outcome.DELIVERED);
        assertThat(reliable(far + 1, 2, 0)).isEqualTo(Outcome.DELIVERED);
    }

    @Test
    void slidingThroughManyWindowsKeepsRecognisingRecentDuplicates() {
        for (long sequence = 0; sequence < 5L * ReceiveSequencer.WINDOW; sequence++) {
            assertThat(unreliable(sequence, 1)).isEqualTo(Outcome.DELIVERED);
            if (sequence > 100) {
                assertThat(unreliable(sequence - 100, 1)).isEqualTo(Outcome.DUPLICATE);
            }
        }
    }

    @Test
    void heldMessagesAreBoundedByGivingUpTheOldestGap() {
        reliable(0, 1, 0);
        for (long sequence = 2; sequence <= ReceiveSequencer.MAX_HELD + 1; sequence++) {
            reliable(sequence, 1, 0);
        }
        assertThat(sequencer.held()).isEqualTo(ReceiveSequencer.MAX_HELD);
        assertThat(delivered).containsExactly("r0");

        reliable(ReceiveSequencer.MAX_HELD + 2, 1, 0);

        assertThat(sequencer.held()).isZero();
        assertThat(delivered).hasSize(ReceiveSequencer.MAX_HELD + 2).startsWith("r0", "r2", "r3");
    }
}
