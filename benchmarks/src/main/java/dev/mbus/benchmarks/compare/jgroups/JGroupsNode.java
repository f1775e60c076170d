package dev.mbus.benchmarks.compare.jgroups;

import java.time.Duration;
import org.jgroups.Address;
import org.jgroups.JChannel;
import org.jgroups.Message;
import org.jgroups.Receiver;

/**
 * One process's member of a two-member cluster with JGroups' default UDP stack ({@code udp.xml},
 * default bundler and flow control), kept on loopback: bound to 127.0.0.1, its multicast group
 * on that interface with TTL 0, group and port given by the trial.
 */
final class JGroupsNode implements AutoCloseable {

    private static final Duration VIEW_LIMIT = Duration.ofSeconds(30);

    private final JChannel channel;

    JGroupsNode(String cluster, String group, int port, Receiver receiver) throws Exception {
        // udp.xml reads these when the stack is built.
        System.setProperty("java.net.preferIPv4Stack", "true");
        System.setProperty("jgroups.bind_addr", "127.0.0.1");
        System.setProperty("jgroups.udp.mcast_addr", group);
        System.setProperty("jgroups.udp.mcast_port", String.valueOf(port));
        System.setProperty("jgroups.udp.ip_ttl", "0");
        channel = new JChannel("udp.xml");
        channel.setDiscardOwnMessages(true);
        channel.setReceiver(receiver);
        channel.connect(cluster);
    }

    /** The other member, once the view holds both. */
    Address awaitPeer() throws InterruptedException {
        long limit = System.nanoTime() + VIEW_LIMIT.toNanos();
        while (channel.getView().size() < 2) {
            if (System.nanoTime() - limit > 0) {
                throw new IllegalStateException("JGroups formed no two-member view within " + VIEW_LIMIT
                        + ": " + channel.getView());
            }
            Thread.sleep(5);
        }
        return channel.getView().getMembers().stream().filter(member -> !member.equals(channel.getAddress()))
                .findFirst().orElseThrow();
    }

    void send(Message message) throws Exception {
        channel.send(message);
    }

    @Override
    public void close() {
        channel.close();
    }
}
