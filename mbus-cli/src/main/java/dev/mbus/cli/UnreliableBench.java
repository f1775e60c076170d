package dev.mbus.cli;

import dev.mbus.core.engine.MbusEntity;
import dev.mbus.core.message.StringValue;
import tools.jackson.databind.node.ObjectNode;

/** {@code mbus bench --mode unreliable}: {@link MbusEntity#send} of one command per call, counted by a handler. */
final class UnreliableBench extends EntityBench {

    UnreliableBench(BenchSession session) {
        super(session, false);
    }

    @Override
    ObjectNode measure(MbusEntity sender, int n, String pad) throws Exception {
        int datagramSize = session.datagramSize(sender.address(), false, n, pad);
        StringValue padding = new StringValue(pad);
        session.go();
        BenchPacer pacer = new BenchPacer(session.options.rate());
        long start = System.nanoTime();
        pacer.start(start);
        for (int i = 0; i < n; i++) {
            pacer.await(i);
            sender.send(session.receiver, BenchSession.command(i + 1, padding));
        }
        long end = System.nanoTime();
        BenchSession.Counts counts = session.stop(n);
        session.report("sender", sender.stats());
        ObjectNode result = session.report.result("unreliable", datagramSize, n, end - start, counts.mbus(),
                counts.mbusSpanNanos());
        BenchReport.putCommandsPerDatagram(result, sender.stats());
        return result;
    }
}
