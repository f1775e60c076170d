package dev.mbus.cli;

import dev.mbus.core.engine.MbusEntity;
import dev.mbus.core.message.Command;

/** {@code mbus bench --mode unreliable}: {@link MbusEntity#send}; calls in a burst share datagrams unless --no-batching. */
final class UnreliableBench extends EntityBench {

    UnreliableBench(BenchSession session) {
        super(session, "unreliable", false);
    }

    @Override
    void send(MbusEntity sender, int index, Command command) {
        sender.send(session.receiver, command);
    }
}
