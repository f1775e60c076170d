package dev.mbus.spring.event;

import dev.mbus.core.message.Address;

/**
 * Another entity sent {@code mbus.quit} to this one. By default the starter does nothing else: what quitting
 * means (close the context, exit, ignore it) is the application's decision;
 * {@code mbus.shutdown.on-quit=true} closes the context ({@link CloseContextOnQuit}).
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
