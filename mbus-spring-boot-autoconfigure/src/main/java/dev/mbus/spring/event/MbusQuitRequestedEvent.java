package dev.mbus.spring.event;

import dev.mbus.core.message.Address;

/**
 * Another entity sent {@code mbus.quit} to this one. The starter does nothing else: what quitting
 * means (close the context, exit, ignore it) is the application's decision.
 */
public class MbusQuitRequestedEvent extends MbusApplicationEvent {

    private final Address requester;

    public MbusQuitRequestedEvent(Object engine, Address requester) {
        super(engine);
        this.requester = requester;
    }

    /** The entity that asked. */
    public Address getRequester() {
        return requester;
    }
}
