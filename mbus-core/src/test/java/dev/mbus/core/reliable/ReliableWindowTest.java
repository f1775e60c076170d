package dev.mbus.core.reliable;

import static dev.mbus.core.testsupport.Parked.awaitParked;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mbus.core.DeliveryException;
import dev.mbus.core.message.Address;
import dev.mbus.core.testsupport.Parked;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ReliableWindowTest {

    /** T_r in the nanoseconds the window counts in; small numbers keep the schedule readable. */
    private static final long T_R = 100;
    private static final Address PEER = Address.of("app:peer");
    private static final long FAR = TimeUnit.SECONDS.toNanos(30);

    private final List<Long> retransmitted = new ArrayList<>();
    private final ReliableWindow.Retransmitter recorder = message -> retransmitted.add(message.sequence());

    @Test
    void aSenderWaitsForRoomUntilAnAcknowledgementGivesItBack() throws Exception {
        ReliableWindow window = new ReliableWindow(1, Long.MAX_VALUE, T_R, 3);
        assertThat(window.acquire(false)).isTrue();
        CompletableFuture<Void> first = new CompletableFuture<>();
        window.register(7, PEER, new byte[0], first, false, 0);

        CompletableFuture<Boolean> second = new CompletableFuture<>();
        Thread sender = inThread("second sender", second, () -> window.acquire(false));
        awaitParked(sender);
        assertThat(second).as("waiting while the window is full").isNotDone();

        assertThat(window.acknowledge(7, PEER)).isTrue();

        assertThat(second.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(first).isCompleted();
    }

    @Test
    void closingWakesTheSendersThatWaitAndRefusesRoomFromThenOn() throws Exception {
        ReliableWindow window = new ReliableWindow(1, Long.MAX_VALUE, T_R, 3);
        assertThat(window.acquire(false)).isTrue();
        CompletableFuture<Boolean> waiting = new CompletableFuture<>();
        Thread sender = inThread("waiting sender", waiting, () -> window.acquire(false));
        awaitParked(sender);

        window.close();

        assertThat(waiting.get(10, TimeUnit.SECONDS)).isFalse();
        window.release(false);
        assertThat(window.acquire(false)).as("at once, though there is room").isFalse();
        assertThat(window.tryAcquire(false)).isFalse();
    }

    @Test
    void tryAcquireTakesRoomOnlyWhenThereIsSomeAndNeverWaits() {
        ReliableWindow window = new ReliableWindow(2, Long.MAX_VALUE, T_R, 3);

        assertThat(window.tryAcquire(false)).isTrue();
        assertThat(window.tryAcquire(false)).isTrue();
        assertThat(window.tryAcquire(false)).as("full").isFalse();
        window.release(false);
        assertThat(window.tryAcquire(false)).isTrue();
    }

    @Test
    void retransmissionsFollowTheScheduleOfTheFirstSendWhenTheTimerRunsLate() {
        ReliableWindow window = new ReliableWindow(1, Long.MAX_VALUE, T_R, 3);
        window.tryAcquire(false);
        CompletableFuture<Void> outcome = new CompletableFuture<>();
        window.register(5, PEER, new byte[0], outcome, false, 0);

        window.onTimer(150, recorder); // due at 100, sent 50 late
        assertThat(retransmitted).hasSize(1);
        window.onTimer(299, recorder);
        assertThat(retransmitted).hasSize(1);
        window.onTimer(300, recorder); // 2 T_r after the first was due, not after it was sent
        assertThat(retransmitted).hasSize(2);
        window.onTimer(600, recorder);
        assertThat(retransmitted).containsExactly(5L, 5L, 5L);

        assertThat(window.onTimer(999, recorder)).isZero();
        assertThat(outcome).isNotDone();
        assertThat(window.onTimer(1000, recorder)).isOne(); // 4 T_r after the last was due
        assertThat(retransmitted).hasSize(3);
        assertNoAcknowledgement(outcome);
        assertThat(window.inFlight()).isZero();
        assertThat(window.tryAcquire(false)).as("the failure gave the room back").isTrue();
    }

    @Test
    void retransmissionsATimerMissedGoOutOnePerRunButTheFailureTimeStays() {
        ReliableWindow window = new ReliableWindow(2, Long.MAX_VALUE, T_R, 3);
        CompletableFuture<Void> caughtUp = new CompletableFuture<>();
        CompletableFuture<Void> stalledThrough = new CompletableFuture<>();
        window.tryAcquire(false);
        window.register(1, PEER, new byte[0], caughtUp, false, 0);
        window.onTimer(650, recorder); // the three retransmissions were due at 100, 300 and 600
        window.onTimer(655, recorder);
        window.onTimer(660, recorder);
        window.onTimer(665, recorder);
        assertThat(retransmitted).containsExactly(1L, 1L, 1L);
        window.onTimer(1000, recorder);
        assertNoAcknowledgement(caughtUp);

        window.tryAcquire(false);
        window.register(2, PEER, new byte[0], stalledThrough, false, 2000);
        assertThat(window.onTimer(3000, recorder)).isOne();
        assertNoAcknowledgement(stalledThrough);
        assertThat(retransmitted).as("nothing sent for a message past its time").hasSize(3);
    }

    @Test
    void awaitEmptyWaitsForTheLastMessageInFlight() throws Exception {
        ReliableWindow window = new ReliableWindow(2, Long.MAX_VALUE, T_R, 3);
        assertThat(window.awaitEmpty(System.nanoTime())).as("empty already").isTrue();
        window.tryAcquire(false);
        assertThat(window.awaitEmpty(System.nanoTime())).as("room taken for a message not yet registered").isFalse();
        window.register(3, PEER, new byte[0], new CompletableFuture<>(), false, 0);

        CompletableFuture<Boolean> emptied = new CompletableFuture<>();
        Thread closer = inThread("closer", emptied, () -> window.awaitEmpty(System.nanoTime() + FAR));
        awaitParked(closer);
        assertThat(emptied).isNotDone();

        window.acknowledge(3, PEER);

        assertThat(emptied.get(10, TimeUnit.SECONDS)).isTrue();
    }

    private static void assertNoAcknowledgement(CompletableFuture<Void> outcome) {
        assertThat(outcome).isCompletedExceptionally();
        assertThat(outcome.handle((value, error) -> error).join()).isInstanceOfSatisfying(DeliveryException.class,
                failure -> assertThat(failure.reason()).isEqualTo(DeliveryException.Reason.NO_ACKNOWLEDGEMENT));
    }

    /** Runs {@code call} on a thread of its own, its result or exception going to {@code result}. */
    private static <T> Thread inThread(String name, CompletableFuture<T> result, Callable<T> call) {
        return Parked.start(name, () -> {
            try {
                result.complete(call.call());
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        });
    }

    @Test
    void peersThatTakeOneAtATimeShareOnePlaceWhileOthersKeepTheWindow() {
        ReliableWindow window = new ReliableWindow(8, Long.MAX_VALUE, T_R, 3);
        assertThat(window.tryAcquire(true)).isTrue();
        window.register(1, PEER, new byte[0], new CompletableFuture<>(), true, 0);

        assertThat(window.tryAcquire(true)).as("a second to any stop-and-wait peer").isFalse();
        assertThat(window.tryAcquire(false)).as("to a peer that takes a window").isTrue();
        assertThat(window.acknowledge(1, PEER)).isTrue();
        assertThat(window.tryAcquire(true)).as("once the first is acknowledged").isTrue();
        window.release(true);
        assertThat(window.tryAcquire(true)).as("room given back unused").isTrue();
    }
}
