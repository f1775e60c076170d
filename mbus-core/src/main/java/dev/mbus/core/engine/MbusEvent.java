package dev.mbus.core.engine;

import dev.mbus.core.awareness.Peer;
import dev.mbus.core.message.Address;

/** Something the entity learned about the bus (protocol §7). */
public sealed interface MbusEvent {

    /** A peer was heard for the first time. */
    record PeerJoined(Peer peer) implements MbusEvent {
    }

    /** A peer said bye, was silent for too long, or made room in a full peer table. */
    record PeerLeft(Peer peer, LeaveReason reason) implements MbusEvent {
    }

    /**
     * Why a peer left: it said bye, it fell silent, or the peer table was full and it was the
     * one to make room (see {@link dev.mbus.core.awareness.PeerTable}).
     */
    enum LeaveReason { BYE, TIMEOUT, EVICTED }

    /**
     * Another entity sent {@code mbus.quit} to this one. What it means is up to the
     * application: the engine never exits the JVM.
     */
    record QuitRequested(Address source) implements MbusEvent {
    }

    /** Another entity waits for {@code mbus.go(token)}. */
    record WaitingReceived(Address source, String token) implements MbusEvent {
    }

    /** Another entity sent {@code mbus.go(token)} to this one. */
    record GoReceived(Address source, String token) implements MbusEvent {
    }
}
