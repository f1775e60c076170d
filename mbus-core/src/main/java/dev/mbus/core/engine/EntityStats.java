package dev.mbus.core.engine;

import dev.mbus.core.InvalidDatagramException;
import java.util.EnumMap;
import java.util.Map;

/**
 * A snapshot of an entity's counters.
 *
 * @param sent                 messages with commands sent, first transmissions only
 * @param commandsSent         commands those messages carried (more than messages when sends were batched)
 * @param received             messages taken from other entities: authentic, well formed and fresh
 * @param reliableAcknowledged reliable sends acknowledged
 * @param reliableFailed       reliable sends that failed for any reason: no acknowledgement after every
 *                             retransmission, the entity closing first, a full window on an engine thread,
 *                             or a message that could not be written
 * @param retransmissions      retransmissions sent
 * @param reliableInFlight     reliable messages awaiting acknowledgement now
 * @param dropped              datagrams dropped before they were taken, by reason: malformed, forged,
 *                             oversized, or {@code STALE} (outside the freshness window, or from an earlier
 *                             run of their sender)
 * @param duplicates           messages heard before and not delivered again: retransmissions and replays
 *                             (a reliable one is acknowledged again), and what an entity sent before its bye
 * @param late                 reliable messages refused, unacknowledged, because they came after the gap
 *                             they would have filled was given up: taking them would break their sender's order
 * @param overloaded           messages refused for want of room for handlers (see
 *                             {@link EntityConfig.Builder#maxInboundBytes}): unreliable ones dropped, reliable
 *                             ones left unacknowledged so that their senders retransmit them
 * @param eventsDropped        events (peers joining and leaving, quit, rendezvous) not handed to listeners
 *                             because the listeners' queue for that source was full
 * @param handlerInvocations   handler calls
 * @param handlerErrors        handler and event listener calls that threw
 * @param peers                peers known now
 * @param inboundBytes         bytes of received messages held now, behind gaps or for handlers
 * @param tooLargeForPeers     unreliable messages sent that make datagrams larger than a known peer can
 *                             receive (over 1,500 bytes with a UCL tool on the bus): not for such a peer,
 *                             but it receives them and drops them as forged
 */
public record EntityStats(long sent, long commandsSent, long received, long reliableAcknowledged, long reliableFailed,
        long retransmissions, long reliableInFlight, Map<InvalidDatagramException.Reason, Long> dropped,
        long duplicates, long late, long overloaded, long eventsDropped, long handlerInvocations, long handlerErrors, int peers,
        long inboundBytes, long tooLargeForPeers) {

    /** Nothing counted yet. */
    public static final EntityStats NONE = new EntityStats(0, 0, 0, 0, 0, 0, 0, Map.of(), 0, 0, 0, 0, 0, 0, 0, 0, 0);

    public EntityStats {
        dropped = Map.copyOf(dropped);
    }

    /**
     * The counters of this snapshot and of {@code later} added up, with the gauges (reliable in
     * flight, peers, inbound bytes) of {@code later}: the totals of entities run one after another.
     */
    public EntityStats plus(EntityStats later) {
        Map<InvalidDatagramException.Reason, Long> drops = new EnumMap<>(InvalidDatagramException.Reason.class);
        dropped.forEach((reason, count) -> drops.merge(reason, count, Long::sum));
        later.dropped.forEach((reason, count) -> drops.merge(reason, count, Long::sum));
        return new EntityStats(sent + later.sent, commandsSent + later.commandsSent, received + later.received,
                reliableAcknowledged + later.reliableAcknowledged, reliableFailed + later.reliableFailed,
                retransmissions + later.retransmissions, later.reliableInFlight, drops, duplicates + later.duplicates,
                late + later.late, overloaded + later.overloaded, eventsDropped + later.eventsDropped, handlerInvocations + later.handlerInvocations,
                handlerErrors + later.handlerErrors, later.peers, later.inboundBytes,
                tooLargeForPeers + later.tooLargeForPeers);
    }

    /** Datagrams dropped for any reason. */
    public long droppedTotal() {
        return dropped.values().stream().mapToLong(Long::longValue).sum();
    }
}
