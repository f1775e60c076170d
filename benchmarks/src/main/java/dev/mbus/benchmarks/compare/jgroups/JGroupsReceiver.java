package dev.mbus.benchmarks.compare.jgroups;

import dev.mbus.benchmarks.compare.Counter;
import dev.mbus.benchmarks.compare.Mode;
import dev.mbus.benchmarks.compare.Receiver;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.jgroups.BytesMessage;
import org.jgroups.Message;

/**
 * The first member: counts the messages delivered to it; in the latency mode sends each one
 * back to its sender, unicast, as it came (reliable).
 */
public final class JGroupsReceiver implements Receiver {

    private final Mode mode;
    private JGroupsNode node;

    public JGroupsReceiver(Mode mode) {
        this.mode = mode;
    }

    @Override
    public List<String> start(Counter counter) throws Exception {
        String cluster = "mbus-compare-" + ProcessHandle.current().pid();
        // An administratively scoped group of the trial's own, on loopback only (TTL 0).
        String group = "239.255." + ThreadLocalRandom.current().nextInt(1, 255) + "." + ThreadLocalRandom.current().nextInt(1, 255);
        int port = 20_000 + ThreadLocalRandom.current().nextInt(20_000);
        node = new JGroupsNode(cluster, group, port, new org.jgroups.Receiver() {
            @Override
            public void receive(Message message) {
                counter.hit();
                if (mode == Mode.LATENCY) {
                    echo(message);
                }
            }
        });
        return List.of(cluster, group, String.valueOf(port));
    }

    private void echo(Message message) {
        try {
            node.send(new BytesMessage(message.getSrc(), message.getArray(), message.getOffset(), message.getLength()));
        } catch (Exception e) {
            System.err.println("jgroups receiver: echo failed: " + e);
        }
    }

    @Override
    public void close() {
        if (node != null) {
            node.close();
        }
    }
}
