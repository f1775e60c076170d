package dev.mbus.core.engine;

import dev.mbus.core.InvalidDatagramException;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** The counters of one entity, shared by its parts; {@link EntityStats} is built here and only here. */
final class EntityCounters {

    final LongAdder sent = new LongAdder();
    final LongAdder commandsSent = new LongAdder();
    final LongAdder received = new LongAdder();
    final LongAdder acknowledged = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder retransmissions = new LongAdder();
    final LongAdder duplicates = new LongAdder();
    final LongAdder late = new LongAdder();
    final LongAdder overloaded = new LongAdder();
    final LongAdder eventsDropped = new LongAdder();
    final LongAdder invocations = new LongAdder();
    final LongAdder handlerErrors = new LongAdder();
    final LongAdder tooLargeForPeers = new LongAdder();
    private final Map<InvalidDatagramException.Reason, LongAdder> dropped = new EnumMap<>(InvalidDatagramException.Reason.class);

    EntityCounters() {
        for (InvalidDatagramException.Reason reason : InvalidDatagramException.Reason.values()) {
            dropped.put(reason, new LongAdder());
        }
    }

    void dropped(InvalidDatagramException.Reason reason) {
        dropped.get(reason).increment();
    }

    EntityStats snapshot(long reliableInFlight, int peers, long inboundBytes) {
        Map<InvalidDatagramException.Reason, Long> drops = new EnumMap<>(InvalidDatagramException.Reason.class);
        dropped.forEach((reason, count) -> drops.put(reason, count.sum()));
        return new EntityStats(sent.sum(), commandsSent.sum(), received.sum(), acknowledged.sum(), failed.sum(),
                retransmissions.sum(), reliableInFlight, drops, duplicates.sum(), late.sum(), overloaded.sum(), eventsDropped.sum(),
                invocations.sum(), handlerErrors.sum(), peers, inboundBytes, tooLargeForPeers.sum());
    }
}
