package dev.mbus.core.engine;

import dev.mbus.core.InvalidDatagramException;
import java.util.Map;

/**
 * A snapshot of an entity's counters.
 *
 * @param sent               messages sent, first transmissions only
 * @param commandsSent       commands those messages carried (more than messages when sends were batched)
 * @param received           messages accepted (authentic and well formed), from other entities
 * @param reliableAcknowledged reliable sends acknowledged
 * @param reliableFailed     reliable sends failed for want of an acknowledgement
 * @param retransmissions    retransmissions sent
 * @param reliableInFlight   reliable messages awaiting acknowledgement now
 * @param dropped            datagrams dropped, by reason
 * @param duplicates         messages not delivered again: reliable ones received again (acknowledged
 *                           again), and those of an entity heard after its bye
 * @param overloaded         commands refused because a sender's handler queue was full
 * @param handlerInvocations handler calls
 * @param handlerErrors      handler calls that threw
 * @param peers              peers known now
 */
public record EntityStats(long sent, long commandsSent, long received, long reliableAcknowledged, long reliableFailed,
        long retransmissions, long reliableInFlight, Map<InvalidDatagramException.Reason, Long> dropped,
        long duplicates, long overloaded, long handlerInvocations, long handlerErrors, int peers) {

    public EntityStats {
        dropped = Map.copyOf(dropped);
    }

    /** Datagrams dropped for any reason. */
    public long droppedTotal() {
        return dropped.values().stream().mapToLong(Long::longValue).sum();
    }
}
