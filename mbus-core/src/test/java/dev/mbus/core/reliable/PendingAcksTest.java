package dev.mbus.core.reliable;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mbus.core.message.Address;
import java.util.List;
import org.junit.jupiter.api.Test;

class PendingAcksTest {

    private static final Address ALICE = Address.of("app:alice");
    private static final Address BOB = Address.of("app:bob");

    @Test
    void acknowledgementsOwedToOnePeerGatherInOneBatchInTheOrderTheyWereOwed() {
        PendingAcks acks = new PendingAcks(10);

        assertThat(acks.add(ALICE, 7, 0)).isNull();
        assertThat(acks.add(BOB, 3, 0)).isNull();
        assertThat(acks.add(ALICE, 8, 1)).isNull();
        assertThat(acks.add(ALICE, 5, 2)).isNull();

        assertThat(acks.take(ALICE, 10)).containsExactly(7L, 8L, 5L);
        assertThat(acks.take(BOB, 10)).containsExactly(3L);
        assertThat(acks.isEmpty()).isTrue();
    }

    @Test
    void theAddThatFillsAMessageReturnsTheFullBatchAndLeavesNothingOwedToThatPeer() {
        PendingAcks acks = new PendingAcks(3);
        acks.add(ALICE, 1, 0);
        acks.add(BOB, 9, 0);
        acks.add(ALICE, 2, 0);

        PendingAcks.Batch full = acks.add(ALICE, 3, 0);

        assertThat(full).isEqualTo(new PendingAcks.Batch(ALICE, List.of(1L, 2L, 3L)));
        assertThat(acks.take(ALICE, 10)).as("sent with the full batch").isEmpty();
        assertThat(acks.take(BOB, 10)).as("another peer's are untouched").containsExactly(9L);
    }

    @Test
    void aNumberOwedTwiceIsAcknowledgedOnceAndDoesNotFillTheBatch() {
        PendingAcks acks = new PendingAcks(2);

        assertThat(acks.add(ALICE, 4, 0)).isNull();
        assertThat(acks.add(ALICE, 4, 1)).as("a retransmission of the same message").isNull();
        assertThat(acks.add(ALICE, 4, 2)).isNull();

        assertThat(acks.take(ALICE, 10)).containsExactly(4L);
    }

    @Test
    void takeTakesTheOldestAndLeavesTheRestOwedSinceTheyFirstWere() {
        PendingAcks acks = new PendingAcks(10);
        acks.add(ALICE, 1, 100);
        acks.add(ALICE, 2, 200);
        acks.add(ALICE, 3, 300);

        assertThat(acks.take(ALICE, 2)).containsExactly(1L, 2L);

        assertThat(acks.takeOverdue(100)).as("still owed since 100: T_c runs from then")
                .containsExactly(new PendingAcks.Batch(ALICE, List.of(3L)));
        assertThat(acks.isEmpty()).isTrue();
    }

    @Test
    void takeOfNothingOrForAnotherPeerChangesNothing() {
        PendingAcks acks = new PendingAcks(10);
        acks.add(ALICE, 1, 0);

        assertThat(acks.take(BOB, 10)).isEmpty();
        assertThat(acks.take(ALICE, 0)).as("a message with no room for acks").isEmpty();

        assertThat(acks.take(ALICE, 10)).containsExactly(1L);
    }

    @Test
    void oncePeerIsTakenEntirelyTheNextNumberOwedStartsItsOwnDelay() {
        PendingAcks acks = new PendingAcks(10);
        acks.add(ALICE, 1, 100);
        acks.take(ALICE, 10);

        acks.add(ALICE, 2, 500);

        assertThat(acks.takeOverdue(499)).isEmpty();
        assertThat(acks.takeOverdue(500)).containsExactly(new PendingAcks.Batch(ALICE, List.of(2L)));
    }

    @Test
    void takeOverdueTakesOnlyWhatHasBeenOwedSinceTheDeadlineOrEarlier() {
        PendingAcks acks = new PendingAcks(10);
        acks.add(ALICE, 1, 100);
        acks.add(BOB, 2, 200);
        acks.add(ALICE, 3, 250); // owed to Alice since 100 all the same

        assertThat(acks.takeOverdue(99)).isEmpty();
        assertThat(acks.takeOverdue(199)).containsExactly(new PendingAcks.Batch(ALICE, List.of(1L, 3L)));
        assertThat(acks.takeOverdue(200)).containsExactly(new PendingAcks.Batch(BOB, List.of(2L)));
        assertThat(acks.isEmpty()).isTrue();
    }

    @Test
    void takeOverdueComparesTimesAcrossTheWrapOfTheNanosecondClock() {
        PendingAcks acks = new PendingAcks(10);
        acks.add(ALICE, 1, Long.MAX_VALUE - 5);
        acks.add(BOB, 2, Long.MIN_VALUE + 50);

        assertThat(acks.takeOverdue(Long.MIN_VALUE + 5)).as("10 ns after Alice's, 45 ns before Bob's")
                .containsExactly(new PendingAcks.Batch(ALICE, List.of(1L)));
        assertThat(acks.isEmpty()).isFalse();
    }

    @Test
    void takeAllTakesEveryPeersBatch() {
        PendingAcks acks = new PendingAcks(10);
        acks.add(ALICE, 1, 0);
        acks.add(BOB, 2, 50);
        acks.add(ALICE, 3, 100);

        assertThat(acks.takeAll()).containsExactlyInAnyOrder(new PendingAcks.Batch(ALICE, List.of(1L, 3L)),
                new PendingAcks.Batch(BOB, List.of(2L)));
        assertThat(acks.isEmpty()).isTrue();
        assertThat(acks.takeAll()).isEmpty();
    }

    @Test
    void forgetDropsWhatIsOwedToAPeerThatLeftAndOnlyThat() {
        PendingAcks acks = new PendingAcks(10);
        acks.add(ALICE, 1, 0);
        acks.add(BOB, 2, 0);

        acks.forget(ALICE);

        assertThat(acks.takeAll()).containsExactly(new PendingAcks.Batch(BOB, List.of(2L)));
    }
}
