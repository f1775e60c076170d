package dev.mbus.core.reliable;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mbus.core.message.Message;
import dev.mbus.core.reliable.ReceiveSequencer.Verdict;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReceiveSequencerTest {

    private static final long HOLD_MILLIS = 800;
    private static final long HOLD = HOLD_MILLIS * 1_000_000;
    private final ReceiveSequencer<String> sequencer = new ReceiveSequencer<>(HOLD);
    private final List<String> delivered = new ArrayList<>();

    /** Takes a message the way the pipeline does: checks it, then accepts what may be accepted. */
    private String take(long sequence, long timestamp, boolean ordered, long now) {
        return take(sequence, timestamp, false, ordered, now);
    }

    private String take(long sequence, long timestamp, boolean newEndpoint, boolean ordered, long now) {
        Verdict verdict = sequencer.check(sequence, timestamp, newEndpoint);
        if (verdict == Verdict.DUPLICATE || verdict == Verdict.STALE || (verdict == Verdict.LATE && ordered)) {
            return verdict.name();
        }
        return sequencer.accept(sequence, timestamp, newEndpoint, ordered, (ordered ? "r" : "u") + sequence, now,
                delivered::add).name();
    }

    private String reliable(long sequence, long timestamp, long now) {
        return take(sequence, timestamp, true, now);
    }

    private String reliable(long sequence, long timestamp) {
        return reliable(sequence, timestamp, 0);
    }

    private String unreliable(long sequence, long timestamp) {
        return take(sequence, timestamp, false, 0);
    }

    @Test
    void deliversInOrderAcrossAGapFilledLater() {
        assertThat(reliable(10, 1)).isEqualTo("DELIVERED");
        assertThat(reliable(12, 1)).isEqualTo("HELD");
        assertThat(reliable(13, 1)).isEqualTo("HELD");
        assertThat(reliable(11, 1, 50)).isEqualTo("DELIVERED");

        assertThat(delivered).containsExactly("r10", "r11", "r12", "r13");
        assertThat(sequencer.held()).isZero();
    }

    @Test
    void unreliableMessagesPassAtOnceAndFillGaps() {
        reliable(1, 1);
        assertThat(reliable(3, 1)).isEqualTo("HELD");
        assertThat(unreliable(2, 1)).isEqualTo("DELIVERED");

        assertThat(delivered).containsExactly("r1", "u2", "r3");
    }

    @Test
    void messagesForOthersFillGapsWithoutBeingDelivered() {
        reliable(1, 1);
        reliable(3, 1);
        sequencer.accept(2, 1, false, false, null, 0, delivered::add);

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
    }

    @Test
    void aReliableMessageArrivingAfterItsGapWasGivenUpIsLateNotDeliveredOutOfOrder() {
        reliable(1, 1, 0);
        reliable(3, 1, 0);
        sequencer.onTimer(HOLD, delivered::add);

        assertThat(reliable(2, 1, HOLD + 1)).isEqualTo("LATE");
        assertThat(reliable(2, 1, HOLD + 2)).as("still not heard: a retransmission is late again").isEqualTo("LATE");
        assertThat(delivered).containsExactly("r1", "r3");
    }

    @Test
    void anUnreliableMessageAfterItsGapWasGivenUpStillPassesOnce() {
        reliable(1, 1, 0);
        reliable(3, 1, 0);
        sequencer.onTimer(HOLD, delivered::add);

        assertThat(unreliable(2, 1)).isEqualTo("DELIVERED");
        assertThat(unreliable(2, 1)).isEqualTo("DUPLICATE");
        assertThat(delivered).containsExactly("r1", "r3", "u2");
    }

    @Test
    void duplicatesAreRecognisedAheadOfAndBehindTheNextNumber() {
        reliable(1, 1);
        reliable(3, 1);
        assertThat(reliable(3, 1)).isEqualTo("DUPLICATE");
        assertThat(reliable(1, 1)).isEqualTo("DUPLICATE");
        assertThat(unreliable(1, 1)).isEqualTo("DUPLICATE");
        assertThat(delivered).containsExactly("r1");
    }

    @Test
    void numbersFarBehindTheWindowAreStale() {
        reliable(100_000, 5);
        assertThat(reliable(100_000 - ReceiveSequencer.WINDOW, 5)).isEqualTo("STALE");
    }

    @Test
    void aLowerNumberWithANewerTimestampIsARestartedSender() {
        reliable(500, 10);
        reliable(501, 10);

        assertThat(reliable(1, 11)).isEqualTo("DELIVERED");
        assertThat(reliable(2, 11)).isEqualTo("DELIVERED");
        assertThat(delivered).containsExactly("r500", "r501", "r1", "r2");
    }

    @Test
    void aRestartDeliversWhatTheEarlierRunHadHeldBeforeAnythingOfTheNewRun() {
        reliable(500, 10);
        reliable(502, 10);

        reliable(1, 11);

        assertThat(delivered).containsExactly("r500", "r502", "r1");
    }

    @Test
    void whatTheEarlierRunSentIsStaleOnceTheNewRunIsHeard() {
        reliable(500, 10);
        reliable(1, 20);

        assertThat(reliable(501, 10)).as("a retransmission of the earlier run").isEqualTo("STALE");
        assertThat(unreliable(90_000, 9)).as("a replay of the earlier run far ahead").isEqualTo("STALE");
        assertThat(reliable(2, 20)).isEqualTo("DELIVERED");
    }

    @Test
    void aJumpWithAnOlderTimestampIsAReplayNotARestart() {
        for (long sequence = 1; sequence <= 5; sequence++) {
            reliable(sequence, 100 + sequence);
        }
        long farAhead = 5 + ReceiveSequencer.WINDOW;

        assertThat(reliable(farAhead, 50)).isEqualTo("STALE");
        assertThat(reliable(farAhead - 1, 105)).as("ahead but no newer: a replay of what nobody heard").isEqualTo("STALE");
        assertThat(reliable(6, 106)).as("the window was not moved").isEqualTo("DELIVERED");
        assertThat(reliable(3, 103)).isEqualTo("DUPLICATE");
    }

    @Test
    void aJumpBeyondHalfTheWindowWithANewerTimestampIsANewRun() {
        reliable(1, 1);
        long far = 1 + ReceiveSequencer.WINDOW / 2 + 10;
        assertThat(reliable(far, 2)).isEqualTo("DELIVERED");
        assertThat(reliable(far + 1, 2)).isEqualTo("DELIVERED");
        assertThat(reliable(1, 1)).isEqualTo("STALE");
    }

    @Test
    void aNewerTimestampFromANewEndpointIsANewRunWhateverTheNumber() {
        reliable(500, 10);
        reliable(502, 10);

        assertThat(take(503, 11, true, true, 0)).as("just above the old run's numbers").isEqualTo("DELIVERED");
        assertThat(delivered).containsExactly("r500", "r502", "r503");
        assertThat(reliable(501, 10)).isEqualTo("STALE");
    }

    @Test
    void aMessageStampedBeforeTheFirstOneHeardByMoreThanTheHoldIsStale() {
        unreliable(500, 10_000);
        unreliable(502, 10_001);

        assertThat(unreliable(490, 10_000 - HOLD_MILLIS - 1)).as("it could not still be on its way").isEqualTo("STALE");
        assertThat(unreliable(501, 9_999)).as("above the first heard: stamped no earlier than it").isEqualTo("STALE");
        assertThat(unreliable(501, 10_000)).isEqualTo("DELIVERED");
    }

    /**
     * Found by the IPv6 test in CI: the first message a receiver heard of a sender was a hello that
     * overtook a reliable message sent just before it (another thread, another socket); the
     * reliable one and its retransmissions were refused, and its send failed.
     */
    @Test
    void aReliableMessageOvertakenByTheFirstOneHeardIsStillDelivered() {
        assertThat(unreliable(500, 10_000)).isEqualTo("DELIVERED");

        assertThat(reliable(498, 10_000 - HOLD_MILLIS)).as("within the hold of the first heard").isEqualTo("DELIVERED");
        assertThat(reliable(499, 9_999)).isEqualTo("DELIVERED");
        assertThat(reliable(499, 9_999)).as("its retransmission").isEqualTo("DUPLICATE");
        assertThat(reliable(501, 10_001)).isEqualTo("DELIVERED");
        assertThat(delivered).containsExactly("u500", "r498", "r499", "r501");
    }

    @Test
    void aNumberBelowTheFirstHeardIsLateOnceALaterReliableMessageWasDelivered() {
        reliable(500, 10_000);

        assertThat(reliable(499, 9_999)).as("delivering it would break the sender's order").isEqualTo("LATE");
        assertThat(unreliable(498, 9_999)).as("unreliable: no order to keep").isEqualTo("DELIVERED");
    }

    @Test
    void numbersFarBelowTheFirstHeardAreNotTakenForTheRunsBeginning() {
        unreliable(5_000, 10_000);

        assertThat(reliable(5_000 - ReceiveSequencer.NEW_RUN_JUMP, 9_999)).isEqualTo("STALE");
        assertThat(reliable(5_001 - ReceiveSequencer.NEW_RUN_JUMP, 9_999)).isEqualTo("DELIVERED");
    }

    @Test
    void aCounterThatWrapsContinuesTheRunWithoutLosingTheNextMessage() {
        reliable(999_998, 10);
        reliable(999_999, 11);

        assertThat(reliable(0, 12)).isEqualTo("DELIVERED");
        assertThat(reliable(1, 12)).isEqualTo("DELIVERED");
        assertThat(delivered).containsExactly("r999998", "r999999", "r0", "r1");
    }

    @Test
    void aWrapWithinOneMillisecondContinuesTheRun() {
        reliable(999_998, 10);
        reliable(999_999, 10);

        assertThat(reliable(0, 10)).isEqualTo("DELIVERED");
        assertThat(reliable(0, 10)).as("its retransmission").isEqualTo("DUPLICATE");
        assertThat(reliable(1, 10)).isEqualTo("DELIVERED");
        assertThat(delivered).containsExactly("r999998", "r999999", "r0", "r1");
    }

    @Test
    void aCounterThatSkips999999AsTheUclToolsDoHoldsNothingBackAtTheWrap() {
        reliable(999_998, 10);

        assertThat(reliable(0, 10)).isEqualTo("DELIVERED");
        assertThat(reliable(1, 11)).isEqualTo("DELIVERED");
        assertThat(delivered).containsExactly("r999998", "r0", "r1");
    }

    @Test
    void aRetransmissionOf999999AfterTheWrapIsDeliveredOnceNotTakenForStale() {
        reliable(999_998, 10);
        assertThat(unreliable(0, 11)).as("the UCL tools send acks and hellos while a reliable message waits")
                .isEqualTo("DELIVERED");

        assertThat(reliable(999_999, 10)).isEqualTo("DELIVERED");
        assertThat(reliable(999_999, 10)).isEqualTo("DUPLICATE");
        assertThat(unreliable(1, 12)).isEqualTo("DELIVERED");
        assertThat(delivered).containsExactly("r999998", "u0", "r999999", "u1");
    }

    @Test
    void messagesInFlightAtTheWrapKeepTheirPlaceBeforeTheFirstNumbersAfterIt() {
        reliable(999_996, 10);
        assertThat(reliable(999_998, 10)).isEqualTo("HELD");
        assertThat(reliable(0, 11)).as("behind the gap at 999997").isEqualTo("HELD");
        assertThat(reliable(2, 11)).isEqualTo("HELD");

        assertThat(reliable(999_997, 10)).isEqualTo("DELIVERED");
        assertThat(unreliable(1, 11)).isEqualTo("DELIVERED");
        assertThat(delivered).containsExactly("r999996", "r999997", "r999998", "r0", "u1", "r2");
        assertThat(reliable(999_998, 10)).isEqualTo("DUPLICATE");
        assertThat(sequencer.held()).isZero();
    }

    @Test
    void aWrapOfThe32BitCounterContinuesTheRunToo() {
        reliable(Message.MAX_SEQUENCE - 1, 10);
        reliable(Message.MAX_SEQUENCE, 10);

        assertThat(reliable(0, 10)).isEqualTo("DELIVERED");
        assertThat(reliable(Message.MAX_SEQUENCE, 10)).isEqualTo("DUPLICATE");
        assertThat(delivered).containsExactly("r4294967294", "r4294967295", "r0");
    }

    @Test
    void aRestartSoonAfterAWrapIsStillANewRun() {
        reliable(999_999, 10);
        assertThat(reliable(3, 11)).as("behind the gap at 0..2").isEqualTo("HELD");

        assertThat(reliable(500_000, 12)).isEqualTo("DELIVERED");
        assertThat(reliable(4, 11)).as("the earlier run").isEqualTo("STALE");
        assertThat(delivered).containsExactly("r999999", "r3", "r500000");
    }

    @Test
    void slidingThroughManyWindowsKeepsRecognisingRecentDuplicates() {
        for (long sequence = 0; sequence < 5L * ReceiveSequencer.WINDOW; sequence++) {
            assertThat(unreliable(sequence, 1)).isEqualTo("DELIVERED");
            if (sequence > 100) {
                assertThat(unreliable(sequence - 100, 1)).isEqualTo("DUPLICATE");
            }
        }
    }

    @Test
    void heldMessagesNeverExceedTheWindowWhenTheSenderRacesAhead() {
        reliable(0, 1);
        long farthest = 3L * ReceiveSequencer.WINDOW;
        for (long sequence = 2; sequence <= farthest; sequence++) {
            reliable(sequence, 1);
            assertThat(sequencer.held()).isLessThan(ReceiveSequencer.WINDOW / 2);
        }

        assertThat(delivered).startsWith("r0", "r2", "r3").doesNotHaveDuplicates();
        assertThat(delivered.size() + sequencer.held()).isEqualTo(farthest);
        assertThat(reliable(1, 1)).isEqualTo("STALE");
    }
}
