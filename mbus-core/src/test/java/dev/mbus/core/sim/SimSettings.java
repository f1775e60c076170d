package dev.mbus.core.sim;

/**
 * The knobs of one simulation: faults of the network and of the handlers, and the entities'
 * configuration.
 *
 * @param seed               seeds every random choice of the run
 * @param faults             what the network does to datagrams
 * @param handlers           how handlers misbehave
 * @param reliableWindow     the entities' reliable window
 * @param maxQueuedPerSender the entities' bound on queued handler calls per sender
 * @param maxInboundBytes    the entities' bound on received bytes held, in all and per sender
 * @param batching           whether the entities batch sends (the default batching) or not
 * @param unicast            whether an entity may send straight to a sole peer
 * @param workerSlots        handler calls each entity's executor runs at once
 */
record SimSettings(long seed, NetworkFaults faults, HandlerBehaviour handlers, int reliableWindow, int maxQueuedPerSender,
        long maxInboundBytes, boolean batching, boolean unicast, int workerSlots) {

    /** A perfect network, well-behaved handlers and the engine's defaults. */
    static SimSettings calm(long seed) {
        return new SimSettings(seed, NetworkFaults.NONE, HandlerBehaviour.WELL_BEHAVED, 256, 10_000, 64L << 20, true, true, 2);
    }

    SimSettings withFaults(NetworkFaults newFaults) {
        return new SimSettings(seed, newFaults, handlers, reliableWindow, maxQueuedPerSender, maxInboundBytes, batching, unicast, workerSlots);
    }

    SimSettings withBatching(boolean on) {
        return new SimSettings(seed, faults, handlers, reliableWindow, maxQueuedPerSender, maxInboundBytes, on, unicast, workerSlots);
    }

    SimSettings withReliableWindow(int window) {
        return new SimSettings(seed, faults, handlers, window, maxQueuedPerSender, maxInboundBytes, batching, unicast, workerSlots);
    }

    @Override
    public String toString() {
        return faults + "; " + handlers + "; window " + reliableWindow + ", queue per sender " + maxQueuedPerSender
                + ", inbound bytes " + maxInboundBytes                + ", batching " + (batching ? "on" : "off") + ", unicast " + (unicast ? "on" : "off") + ", "
                + workerSlots + " handler slots";
    }
}
