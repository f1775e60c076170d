package dev.mbus.core.engine;

import dev.mbus.core.message.Address;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of received messages an entity holds, from the moment they are admitted until their
 * handlers have finished: waiting behind a gap, queued for a handler, or being handled. Bounded
 * in all and per sender, so that no input, however fast or large, can hold more; a message that
 * does not fit is refused at the door (see {@link EntityConfig.Builder#maxInboundBytes}).
 * Thread-safe without a lock: one thread takes (the receive thread, or the timer's), handler
 * threads give back.
 */
final class InboundBudget {

    /** Senders with nothing held are forgotten once this many are tracked, so the map stays small. */
    private static final int TIDY_ABOVE = 1024;

    private final long maxBytes;
    private final long maxBytesPerSender;
    private final Map<Address, AtomicLong> perSender = new ConcurrentHashMap<>();
    private final AtomicLong used = new AtomicLong();
    /** Written by the taking thread only. */
    private int tidyAbove = TIDY_ABOVE;

    InboundBudget(long maxBytes, long maxBytesPerSender) {
        this.maxBytes = maxBytes;
        this.maxBytesPerSender = maxBytesPerSender;
    }

    /** Takes {@code bytes} for a message from {@code sender}; false, taking nothing, when either bound would be passed. */
    boolean tryTake(Address sender, long bytes) {
        if (perSender.size() > tidyAbove) {
            // Here, on the one thread that takes, so no take can race with the removal; an entry at
            // zero has no give-back pending either. The next tidying waits for the map to double, so
            // many senders that all hold something cost a scan now and then, not one per message.
            perSender.values().removeIf(held -> held.get() == 0);
            tidyAbove = Math.max(TIDY_ABOVE, 2 * perSender.size());
        }
        if (!tryAdd(used, bytes, maxBytes)) {
            return false;
        }
        if (!tryAdd(perSender.computeIfAbsent(sender, key -> new AtomicLong()), bytes, maxBytesPerSender)) {
            used.addAndGet(-bytes);
            return false;
        }
        return true;
    }

    private static boolean tryAdd(AtomicLong counter, long bytes, long bound) {
        while (true) {
            long held = counter.get();
            if (held + bytes > bound) {
                return false;
            }
            if (counter.compareAndSet(held, held + bytes)) {
                return true;
            }
        }
    }

    /** Bytes {@code sender}'s messages hold now. */
    long heldBy(Address sender) {
        AtomicLong theirs = perSender.get(sender);
        return theirs == null ? 0 : theirs.get();
    }

    /** Gives back what {@link #tryTake} took, once the message is done with. */
    void giveBack(Address sender, long bytes) {
        AtomicLong theirs = perSender.get(sender);
        if (theirs == null) {
            return;
        }
        theirs.addAndGet(-bytes);
        used.addAndGet(-bytes);
    }

    /** Bytes held now. */
    long used() {
        return used.get();
    }
}
