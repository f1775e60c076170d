package dev.mbus.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mbus.core.awareness.PeerKind;
import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class OutboxTest {

    private static final Batching BATCHING = new Batching(Duration.ofNanos(50_000), 1500);
    private static final Duration LINGER = BATCHING.linger();
    private static final Address A = Address.of("app:a");
    private static final Address B = Address.of("app:b");
    private static final Address PEER_A = Address.of("app:a", "id:1");
    /** What each command takes in a message, for the fake length. */
    private static final int COMMAND_BYTES = 100;
    /** Room for two commands in a batch, not three. */
    private static final int BUDGET = 250;
    private static final int NO_LIMIT = -1;

    /** One message the outbox had the transmitter send. */
    private record Sent(Address destination, Address peer, PeerKind kind, boolean reliable, List<String> commands,
            List<CompletableFuture<Void>> outcomes, int budget) {
    }

    private final ManualClock clock = new ManualClock();
    private final List<Sent> sent = new ArrayList<>();
    private final List<Long> alarms = new ArrayList<>();
    /** The texts each message was made of. */
    private final List<List<Integer>> sentTexts = new ArrayList<>();
    /** How many times the outbox wrote commands. */
    private int writes;
    private final Outbox<Integer> outbox = outbox(BATCHING);

    /** The text of a send is faked by its length: {@value #COMMAND_BYTES} bytes a command. */
    private Outbox<Integer> outbox(Batching batching) {
        return new Outbox<>(batching, clock, destination -> BUDGET, commands -> {
            writes++;
            return COMMAND_BYTES * commands.size();
        }, Integer::intValue, (destination, peer, kind, reliable, commands, texts, outcomes, budget) -> {
            sent.add(new Sent(destination, peer, kind, reliable, commands.stream().map(Command::name).toList(),
                    List.copyOf(outcomes), budget));
            sentTexts.add(List.copyOf(texts));
        }, alarms::add, () -> new IllegalStateException("closed"));
    }

    private static List<Command> commands(String... names) {
        return Arrays.stream(names).map(name -> Command.of("test." + name)).toList();
    }

    private static Sent unreliable(Address destination, int budget, String... names) {
        return new Sent(destination, null, null, false, Arrays.stream(names).map(name -> "test." + name).toList(),
                List.of(), budget);
    }

    /** The two quick sends that go out at once before a burst begins. */
    private void startBurst() {
        outbox.send(A, commands("warm1"));
        outbox.send(A, commands("warm2"));
        assertThat(sent).hasSize(2);
        sent.clear();
    }

    @Test
    void aLoneSendAndAPairOfQuickSendsGoOutAtOnce() {
        outbox.send(A, commands("one"));
        assertThat(sent).containsExactly(unreliable(A, NO_LIMIT, "one"));

        outbox.send(A, commands("two"));
        assertThat(sent).containsExactly(unreliable(A, NO_LIMIT, "one"), unreliable(A, NO_LIMIT, "two"));
        assertThat(alarms).isEmpty();
    }

    @Test
    void fromTheThirdQuickSendCommandsWaitInOneBatchWithTheRoomLeftForAcks() {
        startBurst();
        long start = clock.nanoTime();

        outbox.send(A, commands("three"));
        outbox.send(A, commands("four"));
        assertThat(sent).as("waiting in the batch").isEmpty();
        assertThat(alarms).as("the batch's deadline").containsExactly(start + LINGER.toNanos());

        outbox.flush();
        assertThat(sent).containsExactly(unreliable(A, BUDGET - 2 * COMMAND_BYTES, "three", "four"));
    }

    @Test
    void sendsAtAPaceNoFasterThanTheLingerNeverWait() {
        for (int i = 0; i < 5; i++) {
            outbox.send(A, commands("paced" + i));
            clock.advance(LINGER);
        }

        assertThat(sent).hasSize(5).allSatisfy(message -> assertThat(message.budget()).isEqualTo(NO_LIMIT));
        assertThat(alarms).isEmpty();
    }

    @Test
    void aCommandForAnotherDestinationSendsTheBatchFirst() {
        startBurst();
        outbox.send(A, commands("toA"));

        outbox.send(B, commands("toB"));
        assertThat(sent).containsExactly(unreliable(A, BUDGET - COMMAND_BYTES, "toA"));

        outbox.flush();
        assertThat(sent).containsExactly(unreliable(A, BUDGET - COMMAND_BYTES, "toA"),
                unreliable(B, BUDGET - COMMAND_BYTES, "toB"));
    }

    @Test
    void aCommandOfTheOtherKindSendsTheBatchFirst() {
        startBurst();
        outbox.send(A, commands("plain"));
        CompletableFuture<Void> outcome = new CompletableFuture<>();

        assertThat(outbox.joinReliable(A, commands("sure"), COMMAND_BYTES, outcome))
                .as("a reliable command never joins an unreliable batch").isFalse();
        assertThat(sent).isEmpty();
        outbox.sendReliable(A, PEER_A, PeerKind.OURS, commands("sure"), COMMAND_BYTES, outcome);
        assertThat(sent).containsExactly(unreliable(A, BUDGET - COMMAND_BYTES, "plain"));

        outbox.send(A, commands("plainAgain"));
        assertThat(sent).containsExactly(unreliable(A, BUDGET - COMMAND_BYTES, "plain"),
                new Sent(A, PEER_A, PeerKind.OURS, true, List.of("test.sure"), List.of(outcome),
                        BUDGET - COMMAND_BYTES));
    }

    @Test
    void aCommandThatWouldOverflowTheBatchSendsTheBatchFirstAndStartsTheNext() {
        startBurst();
        outbox.send(A, commands("three"));
        outbox.send(A, commands("four"));

        outbox.send(A, commands("five"));
        assertThat(sent).containsExactly(unreliable(A, BUDGET - 2 * COMMAND_BYTES, "three", "four"));

        outbox.flush();
        assertThat(sent).last().isEqualTo(unreliable(A, BUDGET - COMMAND_BYTES, "five"));
    }

    @Test
    void aSendLargerThanABatchGoesOutAloneAtOnceAfterTheBatchBeforeIt() {
        startBurst();
        outbox.send(A, commands("small"));

        outbox.send(A, commands("big1", "big2", "big3"));

        assertThat(sent).containsExactly(unreliable(A, BUDGET - COMMAND_BYTES, "small"),
                unreliable(A, NO_LIMIT, "big1", "big2", "big3"));
    }

    @Test
    void anOverdueBatchIsSentByTheNextSendEvenWhenTheAlarmIsLate() {
        Duration step = LINGER.multipliedBy(3).dividedBy(5); // quick enough to stay a burst
        outbox.send(A, commands("one"));
        clock.advance(step);
        outbox.send(A, commands("two"));
        clock.advance(step);
        outbox.send(A, commands("three")); // opens the batch
        clock.advance(step);
        outbox.send(A, commands("four")); // before its deadline: joins it
        assertThat(sent).hasSize(2);

        clock.advance(step);
        outbox.send(A, commands("five")); // past it

        assertThat(sent).hasSize(3).last().isEqualTo(unreliable(A, BUDGET - 2 * COMMAND_BYTES, "three", "four"));
        outbox.flush();
        assertThat(sent).last().as("in a batch of its own, the burst goes on")
                .isEqualTo(unreliable(A, BUDGET - COMMAND_BYTES, "five"));
    }

    @Test
    void aBatchIsMadeOfTheTextEachSendWroteOnceInTheOrderOfTheSends() {
        startBurst();
        writes = 0;
        outbox.send(A, commands("one"));
        outbox.send(A, commands("two"));
        outbox.flush();

        assertThat(sentTexts).last().isEqualTo(List.of(COMMAND_BYTES, COMMAND_BYTES));
        assertThat(writes).as("each send written once, to measure it and to send it").isEqualTo(2);
        outbox.send(B, commands("three", "four", "five")); // too large for a batch: out at once, as written
        assertThat(sentTexts).last().isEqualTo(List.of(3 * COMMAND_BYTES));
        assertThat(writes).isEqualTo(3);
    }

    @Test
    void flushDueSendsTheBatchOnlyOnceItsLingerHasPassedAndACallBeforeTheAlarmArmsNoOther() {
        startBurst();
        long deadline = clock.nanoTime() + LINGER.toNanos();
        outbox.send(A, commands("waiting"));

        clock.advance(LINGER.minusNanos(1));
        outbox.flushDue(); // a timer tick: the alarm still stands
        assertThat(sent).isEmpty();
        assertThat(alarms).containsExactly(deadline);

        clock.advance(Duration.ofNanos(1));
        outbox.flushDue();
        assertThat(sent).containsExactly(unreliable(A, BUDGET - COMMAND_BYTES, "waiting"));

        outbox.flushDue();
        assertThat(sent).as("nothing left to send").hasSize(1);
        assertThat(alarms).hasSize(1);
    }

    @Test
    void whileABurstGoesOnTheAlarmStaysArmedSoThatOpeningABatchAsksTheTimerForNothing() {
        startBurst();
        long start = clock.nanoTime();
        long linger = LINGER.toNanos();
        outbox.send(A, commands("one"));
        outbox.flush(); // as when the batch is full
        clock.advance(LINGER.dividedBy(2));
        outbox.send(A, commands("two"));
        outbox.flush();
        clock.advance(LINGER.dividedBy(2));

        outbox.flushDue(); // the alarm, with no batch open and the burst still going on
        clock.advance(Duration.ofNanos(1));
        outbox.send(A, commands("three"));

        assertThat(alarms).as("armed again by the alarm itself, not by the send that opened a batch")
                .containsExactly(start + linger, start + 2 * linger);
        clock.advance(Duration.ofNanos(linger - 1));
        outbox.flushDue();
        assertThat(alarms).as("the open batch's deadline").last().isEqualTo(start + 2 * linger + 1);
        clock.advance(Duration.ofNanos(1));
        outbox.flushDue();
        assertThat(sent).last().isEqualTo(unreliable(A, BUDGET - COMMAND_BYTES, "three"));
        int armed = alarms.size();
        outbox.flushDue();
        assertThat(alarms).as("the burst is over: the alarm is not armed again").hasSize(armed);
    }

    @Test
    void reliableSendsThatJoinABatchShareItsMessageAndItCarriesEveryOutcome() {
        startBurst();
        CompletableFuture<Void> first = new CompletableFuture<>();
        CompletableFuture<Void> second = new CompletableFuture<>();
        CompletableFuture<Void> third = new CompletableFuture<>();

        outbox.sendReliable(A, PEER_A, PeerKind.OURS, commands("r1"), COMMAND_BYTES, first);
        assertThat(outbox.joinReliable(A, commands("r2"), COMMAND_BYTES, second)).isTrue();
        assertThat(outbox.joinReliable(A, commands("r3"), COMMAND_BYTES, third)).as("no room left").isFalse();
        assertThat(outbox.joinReliable(B, commands("r3"), COMMAND_BYTES, third)).as("another destination").isFalse();
        assertThat(sent).isEmpty();

        outbox.flush();
        assertThat(sent).containsExactly(new Sent(A, PEER_A, PeerKind.OURS, true, List.of("test.r1", "test.r2"),
                List.of(first, second), BUDGET - 2 * COMMAND_BYTES));
    }

    @Test
    void aReliableSendJoinsNoBatchThatIsMissingOrOverdue() {
        CompletableFuture<Void> outcome = new CompletableFuture<>();
        assertThat(outbox.joinReliable(A, commands("r"), COMMAND_BYTES, outcome)).as("no batch open").isFalse();

        startBurst();
        outbox.sendReliable(A, PEER_A, PeerKind.OURS, commands("r1"), COMMAND_BYTES, new CompletableFuture<>());
        clock.advance(LINGER);

        assertThat(outbox.joinReliable(A, commands("r2"), COMMAND_BYTES, outcome)).as("overdue").isFalse();
    }

    @Test
    void aReliableSendOutsideABurstGoesOutAtOnceWithItsOutcome() {
        CompletableFuture<Void> outcome = new CompletableFuture<>();

        outbox.sendReliable(A, PEER_A, PeerKind.OURS, commands("r"), COMMAND_BYTES, outcome);

        assertThat(sent).containsExactly(
                new Sent(A, PEER_A, PeerKind.OURS, true, List.of("test.r"), List.of(outcome), NO_LIMIT));
    }

    @Test
    void closeSendsTheOpenBatchAndRefusesEverySendFromThenOn() {
        startBurst();
        outbox.send(A, commands("last"));

        outbox.close();
        assertThat(sent).containsExactly(unreliable(A, BUDGET - COMMAND_BYTES, "last"));

        CompletableFuture<Void> outcome = new CompletableFuture<>();
        assertThatThrownBy(() -> outbox.send(A, commands("late"))).hasMessage("closed");
        assertThatThrownBy(() -> outbox.joinReliable(A, commands("late"), COMMAND_BYTES, outcome)).hasMessage("closed");
        assertThatThrownBy(() -> outbox.sendReliable(A, PEER_A, PeerKind.OURS, commands("late"), COMMAND_BYTES, outcome))
                .hasMessage("closed");
        outbox.flush();
        assertThat(sent).hasSize(1);
    }

    @Test
    void withBatchingOffEverySendIsAMessageOfItsOwn() {
        Outbox unbatched = outbox(Batching.OFF);
        CompletableFuture<Void> outcome = new CompletableFuture<>();

        for (int i = 0; i < 5; i++) {
            unbatched.send(A, commands("plain" + i));
            assertThat(unbatched.joinReliable(A, commands("sure" + i), COMMAND_BYTES, outcome)).isFalse();
            unbatched.sendReliable(A, PEER_A, PeerKind.OURS, commands("sure" + i), COMMAND_BYTES, outcome);
        }

        assertThat(sent).hasSize(10).allSatisfy(message -> assertThat(message.budget()).isEqualTo(NO_LIMIT));
        assertThat(alarms).isEmpty();
    }

    @Test
    void aFailureToSendAtOnceReachesTheCaller() {
        Outbox<Integer> failing = new Outbox<>(BATCHING, clock, destination -> BUDGET, commands -> COMMAND_BYTES,
                Integer::intValue, (destination, peer, kind, reliable, commands, texts, outcomes, budget) -> {
                    throw new IllegalStateException("no route");
                }, alarms::add, () -> new IllegalStateException("closed"));

        assertThatThrownBy(() -> failing.send(A, commands("one"))).hasMessage("no route");
    }
}
