package dev.mbus.core.engine;

import java.time.Duration;
import java.util.Objects;

/**
 * The timers and constants of protocol §6-8, with the RFC values as defaults.
 *
 * @param retransmitBase     T_r: the k-th retransmission goes k x T_r after the previous send
 * @param maxRetransmissions N_r: retransmissions before a reliable send fails
 * @param ackDelay           T_c: longest wait before a bare acknowledgement is sent
 * @param helloFactor        c_hello_factor: hello interval per known entity
 * @param helloMin           c_hello_min: shortest hello interval
 * @param helloDeadIntervals c_hello_dead: hello intervals of silence before a peer is gone
 * @param waitingInterval    how often {@code mbus.waiting} is repeated during a rendezvous
 * @param tick               how often the timer thread looks for due work
 */
public record ProtocolTimers(Duration retransmitBase, int maxRetransmissions, Duration ackDelay,
        Duration helloFactor, Duration helloMin, int helloDeadIntervals, Duration waitingInterval, Duration tick) {

    /** The values of RFC 3259. */
    public static final ProtocolTimers RFC = new ProtocolTimers(Duration.ofMillis(100), 3, Duration.ofMillis(70),
            Duration.ofMillis(200), Duration.ofMillis(1000), 5, Duration.ofMillis(1000), Duration.ofMillis(5));

    public ProtocolTimers {
        for (Duration duration : new Duration[] {retransmitBase, ackDelay, helloFactor, helloMin, waitingInterval, tick}) {
            Objects.requireNonNull(duration, "timer");
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("timers must be positive: " + duration);
            }
        }
        if (maxRetransmissions < 0) {
            throw new IllegalArgumentException("maxRetransmissions must not be negative: " + maxRetransmissions);
        }
        if (helloDeadIntervals < 1) {
            throw new IllegalArgumentException("helloDeadIntervals must be at least 1: " + helloDeadIntervals);
        }
    }

    public ProtocolTimers withRetransmissions(Duration base, int max) {
        return new ProtocolTimers(base, max, ackDelay, helloFactor, helloMin, helloDeadIntervals, waitingInterval, tick);
    }

    public ProtocolTimers withHello(Duration min, Duration factor, int deadIntervals) {
        return new ProtocolTimers(retransmitBase, maxRetransmissions, ackDelay, factor, min, deadIntervals, waitingInterval, tick);
    }

    public ProtocolTimers withAckDelay(Duration delay) {
        return new ProtocolTimers(retransmitBase, maxRetransmissions, delay, helloFactor, helloMin, helloDeadIntervals, waitingInterval, tick);
    }

    /**
     * Time from the first transmission of a reliable message to its failure: the
     * retransmissions at 1, 2, ... N_r times T_r apart, then (N_r + 1) x T_r of waiting.
     */
    public Duration reliableLifetime() {
        long n = maxRetransmissions;
        return retransmitBase.multipliedBy(n * (n + 1) / 2 + n + 1);
    }

    /**
     * How long a receiver holds a message behind a gap that a retransmission could still fill.
     * The missing message was sent before the held one arrived, and its last retransmission goes
     * (1 + 2 + ... + N_r) x T_r after its first send; one more T_r covers a sender's timer running
     * late, and {@code maxDelay} the way through the network. With the RFC's timers and 100 ms of
     * delay: 600 + 100 + 100 = 800 ms.
     */
    public Duration reorderHold(Duration maxDelay) {
        long n = maxRetransmissions;
        return retransmitBase.multipliedBy(n * (n + 1) / 2 + 1).plus(maxDelay);
    }
}
