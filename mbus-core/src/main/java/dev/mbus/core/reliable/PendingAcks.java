package dev.mbus.core.reliable;

import dev.mbus.core.message.Address;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;

/**
 * Acknowledgements owed to other entities (protocol §6), gathered so that one message carries
 * many: piggybacked on the next message to that entity, or sent bare when the receive loop goes
 * idle, when a list grows long, or at the latest after T_c. Thread-safe.
 */
public final class PendingAcks {

    /** Acknowledgements owed to one entity. */
    public record Batch(Address peer, List<Long> sequences) {
    }

    private static final class Owed {
        final List<Long> sequences = new ArrayList<>();
        long sinceNanos;
    }

    private final Map<Address, Owed> owed = new LinkedHashMap<>();
    private final int maxPerMessage;

    /** @param maxPerMessage most sequence numbers in one ack list, to keep datagrams small */
    public PendingAcks(int maxPerMessage) {
        this.maxPerMessage = maxPerMessage;
    }

    /**
     * Notes that {@code sequence} from {@code peer} must be acknowledged.
     *
     * @return a full batch to send at once, or null
     */
    public synchronized Batch add(Address peer, long sequence, long nowNanos) {
        Owed entry = owed.get(peer);
        if (entry == null) {
            entry = new Owed();
            entry.sinceNanos = nowNanos;
            owed.put(peer, entry);
        }
        if (!entry.sequences.contains(sequence)) {
            entry.sequences.add(sequence);
        }
        if (entry.sequences.size() >= maxPerMessage) {
            owed.remove(peer);
            return new Batch(peer, List.copyOf(entry.sequences));
        }
        return null;
    }

    /**
     * Takes the oldest {@code max} numbers owed to {@code peer}, to piggyback on a message to it;
     * empty when nothing. The rest stay owed, as old as they were.
     */
    public synchronized List<Long> take(Address peer, int max) {
        if (owed.isEmpty() || max <= 0) {
            return List.of();
        }
        Owed entry = owed.get(peer);
        if (entry == null) {
            return List.of();
        }
        if (entry.sequences.size() <= max) {
            owed.remove(peer);
            return List.copyOf(entry.sequences);
        }
        List<Long> head = entry.sequences.subList(0, max);
        List<Long> taken = List.copyOf(head);
        head.clear();
        return taken;
    }

    /** Takes everything owed. */
    public synchronized List<Batch> takeAll() {
        return takeWhere(owedSince -> true);
    }

    /** Takes what has been owed since {@code deadlineNanos} or earlier. */
    public synchronized List<Batch> takeOverdue(long deadlineNanos) {
        return takeWhere(owedSince -> owedSince - deadlineNanos <= 0);
    }

    public synchronized boolean isEmpty() {
        return owed.isEmpty();
    }

    private List<Batch> takeWhere(LongPredicate owedSince) {
        if (owed.isEmpty()) {
            return List.of();
        }
        List<Batch> batches = new ArrayList<>();
        for (Iterator<Map.Entry<Address, Owed>> it = owed.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Address, Owed> entry = it.next();
            Owed value = entry.getValue();
            if (owedSince.test(value.sinceNanos)) {
                it.remove();
                batches.add(new Batch(entry.getKey(), List.copyOf(value.sequences)));
            }
        }
        return batches;
    }

    /** Forgets what is owed to an entity that left. */
    public synchronized void forget(Address peer) {
        owed.remove(peer);
    }
}
