package dev.mbus.core.sim;

import dev.mbus.core.engine.MbusEntity;

/** One life of a simulated entity: the engine, its transport and handler executor, and what it sent. */
final class Incarnation {

    final History.Life life;
    final MbusEntity entity;
    final SimTransport transport;
    final SimExecutor executor;
    /** Payload counters, from 1, for reliable and unreliable sends alike, so that every payload is unique. */
    private long lastCounter;
    /** Reliable sends whose future has not completed: what the window holds, or more when sends share a message. */
    int pendingReliable;

    Incarnation(History.Life life, MbusEntity entity, SimTransport transport, SimExecutor executor) {
        this.life = life;
        this.entity = entity;
        this.transport = transport;
        this.executor = executor;
    }

    long nextCounter() {
        return ++lastCounter;
    }

    /** Neither closed nor crashed: the simulation drives it. */
    boolean isLive() {
        return life.endedAt < 0;
    }

    @Override
    public String toString() {
        return life.id;
    }
}
