package dev.mbus.core.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.channels.MembershipKey;

/**
 * A socket bound to a bus port and joined to its group on one interface. The kernel copies every
 * datagram sent to the group to each such socket, so a receive thread keeps one per group for all
 * its transports ({@link ReceiveLoop}) and closes the ones they opened.
 */
final class GroupSocket {

    private static final System.Logger LOG = System.getLogger(GroupSocket.class.getName());

    /** Two sockets with equal keys receive the same datagrams. */
    record Key(InetSocketAddress group, NetworkInterface networkInterface) {
    }

    final Key key;
    final DatagramChannel channel;
    private final MembershipKey membership;
    /** The largest receive buffer asked for by a transport that shares this socket. */
    private int requestedBufferBytes;

    GroupSocket(Key key, DatagramChannel channel, MembershipKey membership, int requestedBufferBytes) {
        this.key = key;
        this.channel = channel;
        this.membership = membership;
        this.requestedBufferBytes = requestedBufferBytes;
    }

    /** Takes the place of {@code other}: its receive buffer as large as either asked for; closes {@code other}. */
    void replace(GroupSocket other) {
        if (other.requestedBufferBytes > requestedBufferBytes) {
            requestedBufferBytes = other.requestedBufferBytes;
            try {
                channel.setOption(StandardSocketOptions.SO_RCVBUF, requestedBufferBytes);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "Receive buffer left as it was", e);
            }
        }
        other.close();
    }

    /** Leaves the group and closes the socket; idempotent. */
    void close() {
        membership.drop();
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "Ignored on close", e);
        }
    }
}
