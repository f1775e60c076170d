package dev.mbus.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.mbus.core.DeliveryException;
import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import dev.mbus.core.transport.RelayedTransport;
import dev.mbus.core.transport.UdpRelay;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Reliable delivery end to end on real sockets, with the RFC's timers, through a relay that loses,
 * doubles and delays (and so reorders) every datagram each way: what is acknowledged was handled
 * exactly once, nothing twice, in the sender's order.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RelayedDeliveryTest {

    private static final int MESSAGES = 2_000;
    private static final int IN_FLIGHT = 256;
    private static final int UNRELIABLE_EVERY = 10;
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void reliableMessagesThroughLossDuplicationAndReorderingAreHandledOnceInOrder() throws Exception {
        try (UdpRelay relay = UdpRelay.open(0.2, 0.1, Duration.ofMillis(30), 11);
                MbusEntity a = join("(app:a)", relay);
                MbusEntity b = join("(app:b)", relay)) {
            List<Long> reliable = MemoryBus.firstArguments(b, "seq");
            List<Long> unreliable = MemoryBus.firstArguments(b, "loose");
            a.awaitPeer(b.address(), WAIT).join();
            b.awaitPeer(a.address(), WAIT).join();

            List<CompletableFuture<Void>> outcomes = sendAll(a, b.address());
            awaitAll(outcomes);
            List<Long> acknowledged = new ArrayList<>();
            List<Long> noAcknowledgement = new ArrayList<>();
            List<String> otherFailures = new ArrayList<>();
            for (int n = 0; n < MESSAGES; n++) {
                Throwable error = outcomes.get(n).handle((ok, e) -> e).join();
                if (error == null) {
                    acknowledged.add((long) n);
                } else if (error instanceof DeliveryException d && d.reason() == DeliveryException.Reason.NO_ACKNOWLEDGEMENT) {
                    noAcknowledgement.add((long) n);
                } else {
                    otherFailures.add(n + ": " + error);
                }
            }
            List<Long> notHandled = awaitHandled(reliable, acknowledged);
            List<Long> handled = snapshot(reliable);
            List<Long> handledUnreliable = snapshot(unreliable);

            System.out.printf("Relayed delivery: %d acknowledged, %d failed (NO_ACKNOWLEDGEMENT), %d other failures, "
                    + "%d retransmissions, %d duplicates seen by b; b handled %d reliable and %d of %d unreliable; "
                    + "%s; a %s; b %s%n",
                    acknowledged.size(), noAcknowledgement.size(), otherFailures.size(), a.stats().retransmissions(),
                    b.stats().duplicates(), handled.size(), handledUnreliable.size(), MESSAGES / UNRELIABLE_EVERY,
                    relay.describe(), a.describeTransport(), b.describeTransport());

            assertThat(otherFailures).as("reliable sends failing for another reason").isEmpty();
            assertThat(notHandled).as("acknowledged but not handled by b within %s", WAIT).isEmpty();
            assertThat(acknowledged.size()).as("acknowledged of %d", MESSAGES).isGreaterThan(MESSAGES / 2);
            assertThat(handledMoreThanOnce(handled)).as("reliable messages b handled more than once").isEmpty();
            assertThat(outOfOrder(handled)).as("reliable messages b handled after a later one").isEmpty();
            assertThat(handledMoreThanOnce(handledUnreliable)).as("unreliable messages b handled more than once")
                    .isEmpty();
            // The network really was bad, and the protocol had to work for it.
            assertThat(relay.lost()).isPositive();
            assertThat(relay.duplicated()).isPositive();
            assertThat(a.stats().retransmissions()).isPositive();
            assertThat(b.stats().duplicates()).isPositive();
        }
    }

    private static MbusEntity join(String address, UdpRelay relay) {
        return MbusEntity.start(EntityConfig.builder().address(Address.parse(address)).keys(MemoryBus.KEYS)
                .transport(RelayedTransport.join(relay)).timers(ProtocolTimers.RFC).build());
    }

    /** {@code seq (n)} reliably for every n, at most {@value #IN_FLIGHT} unanswered, with unreliable ones between. */
    private static List<CompletableFuture<Void>> sendAll(MbusEntity from, Address to) throws InterruptedException {
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        List<CompletableFuture<Void>> outcomes = new ArrayList<>();
        for (int n = 0; n < MESSAGES; n++) {
            if (!inFlight.tryAcquire(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                fail("%d reliable sends still unanswered after %s, before sending seq (%d)", IN_FLIGHT, WAIT, n);
            }
            CompletableFuture<Void> outcome = from.sendReliable(to, Command.of("seq", n));
            outcome.whenComplete((ok, error) -> inFlight.release());
            outcomes.add(outcome);
            if (n % UNRELIABLE_EVERY == 0) {
                from.send(to, Command.of("loose", n / UNRELIABLE_EVERY));
            }
        }
        return outcomes;
    }

    private static void awaitAll(List<CompletableFuture<Void>> outcomes) throws Exception {
        try {
            CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).handle((ok, error) -> null)
                    .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            fail("%d reliable sends neither acknowledged nor failed after %s",
                    outcomes.stream().filter(outcome -> !outcome.isDone()).count(), WAIT);
        }
    }

    /**
     * Waits until b handled every acknowledged message (acknowledged means received, but one
     * behind a gap may still wait out the hold time); returns those it did not.
     */
    private static List<Long> awaitHandled(List<Long> handled, List<Long> acknowledged) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            Set<Long> seen = new HashSet<>(snapshot(handled));
            List<Long> missing = acknowledged.stream().filter(n -> !seen.contains(n)).toList();
            if (missing.isEmpty() || System.nanoTime() - deadline > 0) {
                return missing;
            }
            Thread.sleep(10);
        }
    }

    private static List<Long> snapshot(List<Long> synchronizedList) {
        synchronized (synchronizedList) {
            return new ArrayList<>(synchronizedList);
        }
    }

    /** Each number handled more than once, with how often. */
    private static Map<Long, Long> handledMoreThanOnce(List<Long> handled) {
        return handled.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()))
                .entrySet().stream().filter(entry -> entry.getValue() > 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /** "m after n" for every number handled right after a number not below it. */
    private static List<String> outOfOrder(List<Long> handled) {
        return IntStream.range(1, handled.size()).filter(i -> handled.get(i) <= handled.get(i - 1))
                .mapToObj(i -> handled.get(i) + " after " + handled.get(i - 1)).toList();
    }
}
