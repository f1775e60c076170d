package dev.mbus.benchmarks.compare.aeron;

import dev.mbus.benchmarks.compare.Latency;
import dev.mbus.benchmarks.compare.Mode;
import dev.mbus.benchmarks.compare.Payload;
import dev.mbus.benchmarks.compare.Sender;
import io.aeron.Publication;
import io.aeron.Subscription;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;

/** A publication offered one message per call; in the latency mode, the echoes polled for their round-trip times. */
public final class AeronSender implements Sender {

    private final Mode mode;
    private final ByteBuffer bytes = ByteBuffer.allocateDirect(Payload.BYTES);
    private final UnsafeBuffer message = new UnsafeBuffer(bytes);
    private AeronNode node;
    private Publication publication;

    public AeronSender(Mode mode) {
        this.mode = mode;
    }

    @Override
    public void connect(List<String> receiver, Latency latency) throws InterruptedException {
        node = new AeronNode();
        if (mode == Mode.LATENCY) {
            Subscription echoes = node.subscription(AeronNode.channel(Integer.parseInt(receiver.get(1)), true));
            node.pollOnOwnThread(echoes, (buffer, offset, length, header) ->
                    latency.answered(buffer.getLong(offset + Payload.SENT_AT, ByteOrder.BIG_ENDIAN)), "aeron-echoes");
        }
        // Whether gaps are asked for again is the subscription's choice (the receiver's).
        publication = node.publication(AeronNode.channel(Integer.parseInt(receiver.get(0)), true));
        AeronNode.awaitConnected(publication);
    }

    @Override
    public void send(long index) {
        bytes.clear();
        Payload.stamp(bytes, index);
        AeronNode.offer(publication, message, 0, Payload.BYTES);
    }

    @Override
    public boolean answersEach() {
        return mode == Mode.LATENCY;
    }

    @Override
    public void close() {
        if (node != null) {
            node.close();
        }
    }
}
