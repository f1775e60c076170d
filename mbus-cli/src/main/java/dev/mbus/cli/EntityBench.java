package dev.mbus.cli;

import dev.mbus.core.engine.MbusEntity;
import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import dev.mbus.core.message.StringValue;
import tools.jackson.databind.node.ObjectNode;

/**
 * A mode of {@code mbus bench} that sends through the engine, one command per call, counted by
 * the receiver's handler: first --warmup messages, not counted, at --rate like the measured ones,
 * so that both JVMs have compiled the code they run the way the measured run runs it; then the
 * measured ones. A warm-up as fast as the sender can leaves code compiled for a flood: measured
 * alternating at 10,000 a second after 200,000 messages of warm-up, the acknowledgement p99 was
 * 4-5.8 ms after an unpaced warm-up and 1.7-2.9 ms after a paced one. One sender entity does both,
 * so that nothing new (such as an entity closing) happens between them and sends compiled code
 * back to the interpreter.
 */
abstract class EntityBench {

    final BenchSession session;
    private final String mode;
    private final boolean reliable;

    EntityBench(BenchSession session, String mode, boolean reliable) {
        this.session = session;
        this.mode = mode;
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

    private ObjectNode measure(MbusEntity sender, int n, String pad) throws Exception {
        int datagramSize = session.datagramSize(sender.address(), reliable, n, pad);
        StringValue padding = new StringValue(pad);
        prepare(n);
        session.go();
        BenchPacer.Span span = BenchPacer.run(session.options.rate(), n,
                i -> send(sender, i, BenchSession.command(i + 1, padding)));
        awaitOutcomes(span);
        BenchSession.Counts counts = session.stop(n);
        session.report("sender", sender.stats());
        ObjectNode result = session.report.result(mode, datagramSize, n, span.nanos(), counts.mbus(),
                counts.mbusSpanNanos());
        BenchReport.putCommandsPerDatagram(result, sender.stats());
        finish(result, span);
        return result;
    }

    /** Before a run of {@code n} sends. */
    void prepare(int n) {
    }

    /** Send number {@code index} of a run. */
    abstract void send(MbusEntity sender, int index, Command command);

    /** After the last send, before the receiver is asked what it counted. */
    void awaitOutcomes(BenchPacer.Span span) {
    }

    /** Adds the mode's own figures. */
    void finish(ObjectNode result, BenchPacer.Span span) {
    }
}
