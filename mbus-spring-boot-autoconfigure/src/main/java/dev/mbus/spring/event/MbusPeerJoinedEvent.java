package dev.mbus.spring.event;

import dev.mbus.core.awareness.Peer;

/** Another entity was heard for the first time (protocol §7). */
public class MbusPeerJoinedEvent extends MbusApplicationEvent {

    private final Peer peer;

    public MbusPeerJoinedEvent(Object engine, Peer peer) {
        super(engine);
        this.peer = peer;
    }

    public Peer getPeer() {
        return peer;
    }

    @Override
    public String toString() {
        return "MbusPeerJoinedEvent[" + peer.address() + "]";
    }
}
