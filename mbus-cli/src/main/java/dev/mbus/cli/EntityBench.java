package dev.mbus.cli;

import dev.mbus.core.engine.MbusEntity;
import dev.mbus.core.message.Address;
import tools.jackson.databind.node.ObjectNode;

/**
 * A mode of {@code mbus bench} that sends through the engine: first --warmup messages, not
 * counted, so that both JVMs have compiled the code they run; then the measured ones. One sender
 * entity does both, so that nothing new (such as an entity closing) happens between them and
 * sends compiled code back to the interpreter.
 */
abstract class EntityBench {

    final BenchSession session;
    private final boolean reliable;

    EntityBench(BenchSession session, boolean reliable) {
        this.session = session;
        this.reliable = reliable;
    }

    final ObjectNode run(int n) throws Exception {
        int warm = Math.min(session.options.warmup(), n);
        Address source = session.address("sender", reliable ? "3" : "2");
        // Padded for the longest numbers of the run, so that no datagram is larger than --size.
        String pad = session.padding(source, reliable, warm + n);
        try (MbusEntity sender = session.startSender(source)) {
            session.awaitReceiver(sender);
            if (warm > 0) {
                measure(sender, warm, pad);
                BusOptions.sleep(BenchSession.SETTLE);
            }
            return measure(sender, n, pad);
        }
    }

    /** Sends {@code n} commands padded with {@code pad} and returns the figures. */
    abstract ObjectNode measure(MbusEntity sender, int n, String pad) throws Exception;
}
