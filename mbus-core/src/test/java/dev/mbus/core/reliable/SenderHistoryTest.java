package dev.mbus.core.reliable;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mbus.core.message.Address;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SenderHistoryTest {

    private static final long HOLD = 10;
    private static final long RETENTION = 1_000;
    private static final Address ALICE = Address.of("app:alice");
    private static final Address BOB = Address.of("app:bob");
    private static final Address CAROL = Address.of("app:carol");

    private final SenderHistory<String> history = new SenderHistory<>(2, HOLD, RETENTION);

    @Test
    void heardReturnsTheSameRecordForTheSameSender() {
        SenderHistory.Sender<String> first = history.heard(ALICE, 0);

        assertThat(history.heard(ALICE, 5)).isSameAs(first);
        assertThat(history.remembers(ALICE)).isTrue();
        assertThat(history.remembers(BOB)).isFalse();
        assertThat(history.size()).isEqualTo(1);
    }

    @Test
    void aNewcomerAtAFullHistoryDisplacesTheSenderHeardLeastRecently() {
        SenderHistory.Sender<String> alice = history.heard(ALICE, 0);
        history.heard(BOB, 1);
        history.heard(ALICE, 2);

        history.heard(CAROL, 3);

        assertThat(history.size()).isEqualTo(2);
        assertThat(history.remembers(BOB)).as("heard least recently").isFalse();
        assertThat(history.remembers(CAROL)).isTrue();
        assertThat(history.heard(ALICE, 4)).isSameAs(alice);
    }

    @Test
    void askingWhetherASenderIsRememberedIsNotHearingIt() {
        history.heard(ALICE, 0);
        history.heard(BOB, 1);
        history.remembers(ALICE);

        history.heard(CAROL, 2);

        assertThat(history.remembers(ALICE)).as("heard least recently, asked about or not").isFalse();
        assertThat(history.remembers(BOB)).isTrue();
    }

    @Test
    void aSenderIsRememberedForTheRetentionAfterItWasLastHeardAndForgottenAfter() {
        SenderHistory.Sender<String> alice = history.heard(ALICE, 0);
        history.heard(BOB, 0);
        history.heard(ALICE, 500);

        history.expire(RETENTION);
        assertThat(history.remembers(BOB)).as("silent exactly the retention").isTrue();

        history.expire(RETENTION + 1);
        assertThat(history.remembers(BOB)).isFalse();
        assertThat(history.remembers(ALICE)).as("heard again at 500").isTrue();

        history.expire(500 + RETENTION + 1);
        assertThat(history.size()).isZero();
        assertThat(history.heard(ALICE, 2_000)).as("a new record, with nothing heard").isNotSameAs(alice);
    }

    @Test
    void hearingTheSenderHeardLastAgainKeepsTheOthersInTheirOrder() {
        history.heard(ALICE, 0);
        history.heard(BOB, 1);
        history.heard(BOB, 2);

        history.heard(CAROL, 3);

        assertThat(history.remembers(ALICE)).as("still heard least recently").isFalse();
        assertThat(history.remembers(BOB)).isTrue();
    }

    @Test
    void snapshotListsEverySenderRemembered() {
        SenderHistory.Sender<String> alice = history.heard(ALICE, 0);
        SenderHistory.Sender<String> bob = history.heard(BOB, 0);

        assertThat(history.snapshot()).containsExactlyInAnyOrder(alice, bob);
    }

    @Test
    void noMessageIsBeforeAByeWhenThereWasNone() {
        SenderHistory.Sender<String> alice = history.heard(ALICE, 0);

        assertThat(alice.sentBeforeBye(5, 1_000)).isFalse();
    }

    @Test
    void aMessageNumberedBelowTheByeAndStampedNoLaterWasSentBeforeIt() {
        SenderHistory.Sender<String> alice = history.heard(ALICE, 0);
        alice.departed(10, 1_000);

        assertThat(alice.sentBeforeBye(9, 1_000)).isTrue();
        assertThat(alice.sentBeforeBye(3, 400)).isTrue();
        assertThat(alice.sentBeforeBye(9, 1_000)).as("the bye is remembered").isTrue();
    }

    /** The bye was message 10, stamped 1000. */
    @ParameterizedTest(name = "message {0} stamped {1}")
    @CsvSource({"10, 1000", "11, 1000", "11, 900", "2, 1001", "9, 1001"})
    void aMessageNumberedAtOrAboveTheByeOrStampedAfterItMeansTheSenderIsBackAndForgetsTheBye(long sequence,
            long timestamp) {
        SenderHistory.Sender<String> alice = history.heard(ALICE, 0);
        alice.departed(10, 1_000);

        assertThat(alice.sentBeforeBye(sequence, timestamp)).isFalse();

        assertThat(alice.sentBeforeBye(9, 1_000)).as("the bye is forgotten").isFalse();
    }

    @Test
    void aLaterByeReplacesTheEarlierOne() {
        SenderHistory.Sender<String> alice = history.heard(ALICE, 0);
        alice.departed(10, 1_000);
        alice.departed(20, 2_000);

        assertThat(alice.sentBeforeBye(15, 1_500)).isTrue();
    }
}
