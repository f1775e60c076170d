package dev.mbus.benchmarks.flood;

import dev.mbus.core.engine.EntityStats;
import dev.mbus.core.engine.MbusEntity;
import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.LongAdder;

/**
 * The receiving entity of a flood, on a private bus of its own, with a handler that counts its
 * calls (and sleeps in each, when asked), the crafted sender aimed at it, and a newcomer's probe.
 */
final class FloodedReceiver implements AutoCloseable {

    /** The receiver's counters and the handler's calls, taken together when the flood ended. */
    record AfterFlood(EntityStats stats, long handlerCalls) {
    }

    private final MbusEntity entity;
    private final CraftedSender sender;
    private final NewcomerProbe probe;
    private final LongAdder calls = new LongAdder();
    private volatile long handlerMillis;

    /**
     * @param pattern       the commands the counting handler subscribes to
     * @param receiveAll    whether the entity receives every message on the bus
     * @param handlerMillis how long each handler call sleeps
     */
    FloodedReceiver(String pattern, boolean receiveAll, long handlerMillis) throws IOException {
        this.handlerMillis = handlerMillis;
        sender = new CraftedSender();
        try {
            entity = new FloodBus().start("flood-receiver", receiveAll);
        } catch (RuntimeException e) {
            sender.close();
            throw e;
        }
        entity.subscribe(pattern, incoming -> {
            calls.increment();
            if (this.handlerMillis > 0) {
                Thread.sleep(this.handlerMillis);
            }
        });
        probe = new NewcomerProbe(entity);
    }

    Address address() {
        return entity.address();
    }

    InetSocketAddress endpoint() {
        return entity.localEndpoint();
    }

    CraftedSender sender() {
        return sender;
    }

    EntityStats stats() {
        return entity.stats();
    }

    long handlerCalls() {
        return calls.sum();
    }

    /** Sends one crafted message to the receiver. */
    void send(long sequence, boolean reliable, Address source, Address destination, Command command)
            throws IOException {
        sender.send(endpoint(), sequence, reliable, source, destination, command);
    }

    /**
     * Right after the flood: takes the counters, sends the newcomer's probe, measures the heap
     * after a full collection while the receiver still holds what the flood left, then waits for
     * the probe. Puts the counters, {@code handlerCalls}, {@code heapMbAfterGc} and
     * {@code newcomerHandledMs} into the report.
     */
    AfterFlood measure(FloodReport report) throws IOException, InterruptedException {
        AfterFlood after = new AfterFlood(entity.stats(), calls.sum());
        probe.send(sender);
        report.putStats(after.stats).put("handlerCalls", after.handlerCalls);
        report.put("heapMbAfterGc", HeapProbe.usedMbAfterGc());
        probe.await(report);
        return after;
    }

    /** Stops sleeping in the handler, so that the queues drain at once, and closes everything. */
    @Override
    public void close() throws IOException {
        handlerMillis = 0;
        probe.close();
        entity.close();
        sender.close();
    }
}
