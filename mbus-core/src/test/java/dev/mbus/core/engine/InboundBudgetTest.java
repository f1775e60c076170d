package dev.mbus.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mbus.core.message.Address;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class InboundBudgetTest {

    private static final Address ALICE = Address.of("app:alice");
    private static final Address BOB = Address.of("app:bob");
    private static final Address CAROL = Address.of("app:carol");

    @Test
    void aSenderCanHoldUpToItsOwnBoundAndNoMore() {
        InboundBudget budget = new InboundBudget(1_000, 60);

        assertThat(budget.tryTake(ALICE, 40)).isTrue();
        assertThat(budget.tryTake(ALICE, 20)).as("exactly the bound").isTrue();
        assertThat(budget.tryTake(ALICE, 1)).isFalse();
        assertThat(budget.tryTake(BOB, 60)).as("another sender has a bound of its own").isTrue();

        assertThat(budget.used()).isEqualTo(120);
    }

    @Test
    void allSendersTogetherCanHoldUpToTheTotalBoundAndNoMore() {
        InboundBudget budget = new InboundBudget(100, 60);
        budget.tryTake(ALICE, 60);

        assertThat(budget.tryTake(BOB, 41)).isFalse();
        assertThat(budget.tryTake(BOB, 40)).isTrue();
        assertThat(budget.tryTake(CAROL, 1)).isFalse();

        assertThat(budget.used()).isEqualTo(100);
    }

    @Test
    void aRefusedTakeTakesNothing() {
        InboundBudget budget = new InboundBudget(100, 60);
        budget.tryTake(ALICE, 50);

        assertThat(budget.tryTake(ALICE, 11)).isFalse();
        assertThat(budget.tryTake(BOB, 51)).isFalse();

        assertThat(budget.used()).isEqualTo(50);
        assertThat(budget.tryTake(ALICE, 10)).as("the refusals left Alice's share as it was").isTrue();
        assertThat(budget.tryTake(BOB, 40)).isTrue();
    }

    @Test
    void whatIsGivenBackCanBeTakenAgain() {
        InboundBudget budget = new InboundBudget(100, 60);
        budget.tryTake(ALICE, 60);
        budget.tryTake(BOB, 40);

        budget.giveBack(ALICE, 25);

        assertThat(budget.used()).isEqualTo(75);
        assertThat(budget.tryTake(ALICE, 25)).isTrue();
        assertThat(budget.tryTake(ALICE, 1)).isFalse();
    }

    @Test
    void aGiveBackForASenderThatNeverTookChangesNothing() {
        InboundBudget budget = new InboundBudget(100, 60);
        budget.tryTake(BOB, 20);

        budget.giveBack(CAROL, 10);

        assertThat(budget.used()).isEqualTo(20);
    }

    @Test
    void manySendersThatComeAndGoLeaveTheirSharesWhole() {
        InboundBudget budget = new InboundBudget(1_000_000, 60);
        for (int sender = 0; sender < 5_000; sender++) {
            Address source = Address.parse("(app:passing id:" + sender + ")");
            assertThat(budget.tryTake(source, 60)).isTrue();
            budget.giveBack(source, 60);
        }
        budget.tryTake(ALICE, 50);

        assertThat(budget.tryTake(ALICE, 11)).as("Alice's share is still counted after the tidying").isFalse();
        assertThat(budget.used()).isEqualTo(50);
    }

    @Test
    void threadsTakingAndGivingBackAtOnceNeverHoldMoreThanTheBoundsAndEndWithNothingHeld() throws Exception {
        long total = 200;
        long perSender = 120;
        InboundBudget budget = new InboundBudget(total, perSender);
        List<Address> senders = List.of(ALICE, BOB);
        int threads = 4; // two per sender, so that a sender's share is contended too
        int rounds = 20_000;
        // What the threads hold by their own count: taken after tryTake succeeds, given back
        // before giveBack, so never more than the budget holds.
        AtomicLong heldInAll = new AtomicLong();
        List<AtomicLong> heldBySender = List.of(new AtomicLong(), new AtomicLong());
        AtomicLong mostInAll = new AtomicLong();
        AtomicLong mostBySender = new AtomicLong();
        AtomicLong refusals = new AtomicLong();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int index = t % senders.size();
                Address sender = senders.get(index);
                AtomicLong theirs = heldBySender.get(index);
                Random random = new Random(t);
                done.add(pool.submit(() -> {
                    start.await();
                    Deque<Long> holding = new ArrayDeque<>();
                    // Once the rounds are over, only gives back, until nothing is held.
                    for (int round = 0; round < rounds || !holding.isEmpty(); round++) {
                        // Up to three messages held at once, up to 150 bytes: one thread alone passes the bounds.
                        if (round < rounds && holding.size() < 3 && random.nextBoolean()) {
                            long bytes = 1 + random.nextInt(50);
                            if (budget.tryTake(sender, bytes)) {
                                holding.push(bytes);
                                mostBySender.accumulateAndGet(theirs.addAndGet(bytes), Math::max);
                                mostInAll.accumulateAndGet(heldInAll.addAndGet(bytes), Math::max);
                            } else {
                                refusals.incrementAndGet();
                            }
                        } else if (!holding.isEmpty()) {
                            long bytes = holding.pop();
                            theirs.addAndGet(-bytes);
                            heldInAll.addAndGet(-bytes);
                            budget.giveBack(sender, bytes);
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> thread : done) {
                thread.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(mostInAll.get()).isLessThanOrEqualTo(total);
        assertThat(mostBySender.get()).isLessThanOrEqualTo(perSender);
        assertThat(refusals.get()).as("the bounds were reached").isPositive();
        assertThat(budget.used()).isZero();
        assertThat(budget.tryTake(ALICE, perSender)).as("every share was given back in full").isTrue();
    }
}
