package dev.mbus.spring.event;

import dev.mbus.core.awareness.Peer;
import dev.mbus.core.engine.MbusEvent.LeaveReason;

/**
 * Another entity said {@code mbus.bye}, was silent for five hello intervals (protocol §7), or was
 * dropped to make room in a full peer table.
 */
public class MbusPeerLeftEvent extends MbusApplicationEvent {

    private final Peer peer;
    private final LeaveReason reason;

    public MbusPeerLeftEvent(Object engine, Peer peer, LeaveReason reason) {
        super(engine);
        this.peer = peer;
        this.reason = reason;
    }

    public Peer getPeer() {
        return peer;
    }

    /**
     * {@code BYE} when it said goodbye, {@code TIMEOUT} when it fell silent, {@code EVICTED} when
     * the peer table was full and it made room for a newcomer.
     */
    public LeaveReason getReason() {
        return reason;
    }

    @Override
    public String toString() {
        return "MbusPeerLeftEvent[" + peer.address() + ", " + reason + "]";
    }
}
