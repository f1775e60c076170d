package dev.mbus.core.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mbus.core.sim.History.Life;
import dev.mbus.core.sim.History.Send;
import dev.mbus.core.sim.Violation.Invariant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checker the simulation relies on: it finds each kind of broken promise, and only those. */
class InvariantCheckerTest {

    private static final long GRACE_MILLIS = 700;
    private static final long MAX_DELAY_MILLIS = 50;

    private final History history = new History();
    private final Life a = history.born("a", 0);
    private final Life b = history.born("b", 0);

    @Test
    void aSendAcknowledgedAndHandledOnceInOrderBreaksNothing() {
        acknowledged(send(1, 10), b, 12);
        acknowledged(send(2, 20), b, 22);
        history.handled(b, a.id, 1, 11);
        history.handled(b, a.id, 2, 21);

        assertThat(broken()).isEmpty();
    }

    @Test
    void anAcknowledgedSendNeverHandledIsFound() {
        acknowledged(send(1, 10), b, 12);

        assertThat(broken()).containsExactly(Invariant.EXACTLY_ONCE_WHEN_ACKNOWLEDGED);
    }

    @Test
    void aPayloadHandledTwiceIsFound() {
        history.sent(a, 1, null, false, 10);
        history.handled(b, a.id, 1, 11);
        history.handled(b, a.id, 1, 5_000);

        assertThat(broken()).containsExactly(Invariant.NEVER_TWICE);
    }

    @Test
    void reliableMessagesHandledOutOfSendOrderAreFound() {
        send(1, 10);
        send(2, 20);
        history.handled(b, a.id, 2, 21);
        history.handled(b, a.id, 1, 22);

        assertThat(broken()).containsExactly(Invariant.SENDER_ORDER);
    }

    @Test
    void aMessageOfAnOlderSenderLifeAfterOneOfANewerIsFound() {
        send(1, 10);
        a.endedAt = 100;
        Life restarted = history.born("a", 200);
        history.sent(restarted, 1, "b", true, 210);
        history.handled(b, restarted.id, 1, 211);
        history.handled(b, a.id, 1, 300);

        assertThat(broken()).containsExactly(Invariant.NO_STALE_DELIVERY);
    }

    @Test
    void aMessageHandledLongerThanTheFreshnessWindowAndAHoldAfterItWasSentIsFound() {
        send(1, 10);
        history.handled(b, a.id, 1, 10 + InvariantChecker.FRESHNESS_MILLIS + GRACE_MILLIS + 1);

        assertThat(broken()).containsExactly(Invariant.NO_STALE_DELIVERY);
    }

    @Test
    void aMessageTakenFreshMayWaitItsHoldBeforeItIsHandled() {
        send(1, 10);
        history.handled(b, a.id, 1, 10 + InvariantChecker.FRESHNESS_MILLIS + GRACE_MILLIS);

        assertThat(broken()).isEmpty();
    }

    @Test
    void aPayloadNeverSentIsFound() {
        history.handled(b, a.id, 7, 11);

        assertThat(broken()).containsExactly(Invariant.ONLY_WHAT_WAS_SENT);
    }

    @Test
    void aCrashSoonAfterTheAcknowledgementExcusesTheLostCommandButAnAcknowledgementLongAfterTheCrashDoesNot() {
        acknowledged(send(1, 10), b, 12);
        b.crashed = true;
        b.endedAt = 12 + GRACE_MILLIS;
        acknowledged(send(2, 20), b, b.endedAt + MAX_DELAY_MILLIS + 1);

        assertThat(new InvariantChecker(GRACE_MILLIS, MAX_DELAY_MILLIS).check(history))
                .extracting(Violation::detail).singleElement().asString().contains(a.id + ":2");
    }

    private Send send(long counter, long at) {
        return history.sent(a, counter, "b", true, at);
    }

    private void acknowledged(Send send, Life by, long at) {
        history.acknowledged(send, by, at);
    }

    private List<Invariant> broken() {
        return new InvariantChecker(GRACE_MILLIS, MAX_DELAY_MILLIS).check(history).stream().map(Violation::invariant).toList();
    }
}
