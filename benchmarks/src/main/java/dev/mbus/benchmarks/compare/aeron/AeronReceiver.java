package dev.mbus.benchmarks.compare.aeron;

import dev.mbus.benchmarks.compare.Counter;
import dev.mbus.benchmarks.FreePorts;
import dev.mbus.benchmarks.compare.Mode;
import dev.mbus.benchmarks.compare.Receiver;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import java.util.List;

/**
 * A subscription that counts messages in its poll; unreliable: {@code reliable=false} (gaps are
 * skipped, never asked for again); in the latency mode each message goes straight back on a
 * second stream.
 */
public final class AeronReceiver implements Receiver {

    private final Mode mode;
    private AeronNode node;

    public AeronReceiver(Mode mode) {
        this.mode = mode;
    }

    @Override
    public List<String> start(Counter counter) {
        int port = FreePorts.udp();
        int echoPort = FreePorts.udp();
        node = new AeronNode();
        Subscription subscription = node.subscription(AeronNode.channel(port, mode != Mode.UNRELIABLE));
        FragmentHandler handler;
        if (mode == Mode.LATENCY) {
            Publication echoes = node.publication(AeronNode.channel(echoPort, true));
            handler = (buffer, offset, length, header) -> {
                counter.hit();
                AeronNode.offer(echoes, buffer, offset, length);
            };
        } else {
            handler = (buffer, offset, length, header) -> counter.hit();
        }
        node.pollOnOwnThread(subscription, handler, "aeron-receiver");
        return List.of(String.valueOf(port), String.valueOf(echoPort));
    }

    @Override
    public void close() {
        if (node != null) {
            node.close();
        }
    }
}
