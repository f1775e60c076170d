package dev.mbus.core.engine;

import dev.mbus.core.message.Address;
import java.util.HashMap;
import java.util.Map;

/**
 * The bytes of received messages an entity holds, from the moment they are admitted until their
 * handlers have finished: waiting behind a gap, queued for a handler, or being handled. Bounded
 * in all and per sender, so that no input, however fast or large, can hold more; a message that
 * does not fit is refused at the door (see {@link EntityConfig.Builder#maxInboundBytes}).
 * Thread-safe.
 */
final class InboundBudget {

    private final long maxBytes;
    private final long maxBytesPerSender;
    private final Map<Address, long[]> perSender = new HashMap<>();
    private long used;

    InboundBudget(long maxBytes, long maxBytesPerSender) {
        this.maxBytes = maxBytes;
        this.maxBytesPerSender = maxBytesPerSender;
    }

    /** Takes {@code bytes} for a message from {@code sender}; false, taking nothing, when either bound would be passed. */
    synchronized boolean tryTake(Address sender, long bytes) {
        long[] theirs = perSender.get(sender);
        long held = theirs == null ? 0 : theirs[0];
        if (used + bytes > maxBytes || held + bytes > maxBytesPerSender) {
            return false;
        }
        if (theirs == null) {
            theirs = new long[1];
            perSender.put(sender, theirs);
        }
        theirs[0] += bytes;
        used += bytes;
        return true;
    }

    /** Gives back what {@link #tryTake} took, once the message is done with. */
    synchronized void giveBack(Address sender, long bytes) {
        long[] theirs = perSender.get(sender);
        if (theirs == null) {
            return;
        }
        theirs[0] -= bytes;
        used -= bytes;
        if (theirs[0] <= 0) {
            perSender.remove(sender);
        }
    }

    /** Bytes held now. */
    synchronized long used() {
        return used;
    }
}
