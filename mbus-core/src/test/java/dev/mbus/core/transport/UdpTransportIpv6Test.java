package dev.mbus.core.transport;

import static dev.mbus.core.transport.LoopbackSupport.await;
import static dev.mbus.core.transport.LoopbackSupport.bytes;
import static dev.mbus.core.transport.LoopbackSupport.freePort;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mbus.core.transport.LoopbackSupport.Collector;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * IPv6 on lo, hop limit 0, interface-local group FF01::300. Skipped where the kernel does not
 * deliver IPv6 multicast through lo, which is the case on Linux as checked on the build machine:
 * lo has no MULTICAST flag, so it gets no {@code ff00::/8} route and the send fails with "Network
 * is unreachable"; and even with {@code ip -6 route add multicast ff00::/8 dev lo table local}
 * (tried in a private network namespace only) the datagram is silently discarded
 * ({@code Ip6OutNoRoutes} counts it), apparently because Linux turns IPv6 routes through lo into
 * reject routes. IPv4 multicast through lo works without any route.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class UdpTransportIpv6Test {

    @Test
    void groupAndUnicastOverIpv6Loopback() throws Exception {
        int port = freePort();
        assumeIpv6MulticastOnLoopback(port);
        TransportSettings settings = TransportSettings.defaults().withIpv6(true).withPort(port)
                .withNetworkInterface("lo").withScope(Scope.HOSTLOCAL);
        Collector a = new Collector();
        Collector b = new Collector();
        try (UdpTransport ta = UdpTransport.open(settings); UdpTransport tb = UdpTransport.open(settings)) {
            ta.start(a);
            tb.start(b);
            assertThat(ta.localEndpoint().getAddress()).isEqualTo(InetAddress.getByName("::1"));
            assertThat(ta.describe()).startsWith("[ff01:0:0:0:0:0:0:300%lo]:" + port + " on lo, HOSTLOCAL (TTL 0)");

            ta.sendToGroup(bytes("v6 group"), 0, 8);
            assertThat(b.awaitCount(1)).isTrue();
            assertThat(b.received.get(0).text()).isEqualTo("v6 group");
            assertThat(b.received.get(0).sender()).isEqualTo(ta.localEndpoint());

            ta.sendTo(tb.localEndpoint(), bytes("v6 unicast"), 0, 10);
            assertThat(b.awaitCount(2)).isTrue();
            assertThat(b.received.get(1).text()).isEqualTo("v6 unicast");
            assertThat(await(() -> ta.stats().ownDropped() == 1, Duration.ofSeconds(5))).isTrue();
            assertThat(a.count()).isZero();
        }
    }

    /** Sends one datagram to FF01::300 through lo (hop limit 0) with plain JDK sockets and waits for it. */
    private static void assumeIpv6MulticastOnLoopback(int port) throws Exception {
        NetworkInterface lo = NetworkInterface.getByName("lo");
        Assumptions.assumeTrue(lo != null, "no interface named lo");
        InetAddress group = Inet6Address.getByAddress(null, InetAddress.getByName("ff01::300").getAddress(), lo);
        String problem;
        try (DatagramChannel rx = DatagramChannel.open(StandardProtocolFamily.INET6);
                DatagramChannel tx = DatagramChannel.open(StandardProtocolFamily.INET6)) {
            rx.bind(new InetSocketAddress(group, port));
            rx.join(group, lo);
            rx.configureBlocking(false);
            tx.setOption(StandardSocketOptions.IP_MULTICAST_IF, lo);
            tx.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 0);
            tx.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
            tx.send(ByteBuffer.wrap(new byte[] {1}), new InetSocketAddress(group, port));
            ByteBuffer in = ByteBuffer.allocate(16);
            boolean arrived = await(() -> {
                try {
                    return rx.receive(in) != null;
                } catch (IOException e) {
                    return false;
                }
            }, Duration.ofMillis(500));
            problem = arrived ? null : "the datagram was sent but never arrived";
        } catch (IOException e) {
            problem = e.getMessage();
        }
        String reason = "IPv6 multicast through lo does not work here: " + problem;
        Assumptions.assumeTrue(problem == null, reason);
    }
}
