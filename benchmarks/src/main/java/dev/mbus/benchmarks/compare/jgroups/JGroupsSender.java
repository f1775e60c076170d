package dev.mbus.benchmarks.compare.jgroups;

import dev.mbus.benchmarks.compare.Latency;
import dev.mbus.benchmarks.compare.Mode;
import dev.mbus.benchmarks.compare.Payload;
import dev.mbus.benchmarks.compare.Sender;
import java.nio.ByteBuffer;
import java.util.List;
import org.jgroups.BytesMessage;
import org.jgroups.Message;

/**
 * The second member: one message per call, unicast to the receiver; unreliable ones flagged
 * {@code NO_RELIABILITY} (never retransmitted); in the latency mode, the echoes' round-trip times.
 */
public final class JGroupsSender implements Sender {

    private final Mode mode;
    private JGroupsNode node;
    private org.jgroups.Address receiver;

    public JGroupsSender(Mode mode) {
        this.mode = mode;
    }

    @Override
    public void connect(List<String> words, Latency latency) throws Exception {
        node = new JGroupsNode(words.get(0), words.get(1), Integer.parseInt(words.get(2)), new org.jgroups.Receiver() {
            @Override
            public void receive(Message message) {
                latency.answered(Payload.sentAt(ByteBuffer.wrap(message.getArray()), message.getOffset()));
            }
        });
        receiver = node.awaitPeer();
    }

    @Override
    public void send(long index) throws Exception {
        // A fresh array each: JGroups may still hold the last one when this call returns.
        ByteBuffer payload = ByteBuffer.allocate(Payload.BYTES);
        Payload.stamp(payload, index);
        Message message = new BytesMessage(receiver, payload.array());
        if (mode == Mode.UNRELIABLE) {
            message.setFlag(Message.Flag.NO_RELIABILITY);
        }
        node.send(message);
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
