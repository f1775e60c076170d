package dev.mbus.core.transport;

import static dev.mbus.core.transport.LoopbackSupport.await;
import static dev.mbus.core.transport.LoopbackSupport.bytes;
import static dev.mbus.core.transport.LoopbackSupport.freePort;
import static dev.mbus.core.transport.LoopbackSupport.loopback;
import static dev.mbus.core.transport.LoopbackSupport.receiveThreadAlive;
import static dev.mbus.core.transport.LoopbackSupport.receiveThreads;
import static dev.mbus.core.transport.LoopbackSupport.socketsBoundTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mbus.core.transport.LoopbackSupport.Collector;
import dev.mbus.core.transport.LoopbackSupport.Received;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Real sockets, loopback only: lo, TTL 0, a fresh port per test. */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class UdpTransportTest {

    private static final Duration SETTLE = Duration.ofMillis(200);

    private int port;
    private final List<UdpTransport> opened = new ArrayList<>();

    @BeforeEach
    void pickPort() {
        port = freePort();
    }

    @AfterEach
    void closeAll() {
        opened.forEach(UdpTransport::close);
        assertThat(receiveThreadAlive(port)).as("receive thread left behind").isFalse();
    }

    private UdpTransport open() {
        UdpTransport t = UdpTransport.open(loopback(port));
        opened.add(t);
        return t;
    }

    private UdpTransport started(Collector collector) {
        UdpTransport t = open();
        t.start(collector);
        return t;
    }

    @Test
    void groupDatagramReachesEveryOtherEntityWithTheSendersEndpoint() {
        Collector a = new Collector();
        Collector b = new Collector();
        Collector c = new Collector();
        UdpTransport ta = started(a);
        started(b);
        started(c);

        ta.sendToGroup(bytes("xhellox"), 1, 5);

        assertThat(b.awaitCount(1)).isTrue();
        assertThat(c.awaitCount(1)).isTrue();
        for (Collector other : List.of(b, c)) {
            Received r = other.received.get(0);
            assertThat(r.text()).isEqualTo("hello");
            assertThat(r.sender()).isEqualTo(ta.localEndpoint());
            assertThat(r.thread()).isEqualTo("mbus-receive-" + port);
        }
        assertThat(await(() -> ta.stats().ownDropped() == 1, Duration.ofSeconds(5))).isTrue();
        assertThat(a.count()).as("own datagram delivered").isZero();
        assertThat(ta.stats().sent()).isEqualTo(1);
    }

    @Test
    void localEndpointIsTheLoopbackAddressAndAnEphemeralPort() throws Exception {
        UdpTransport t = open();
        assertThat(t.localEndpoint().getAddress()).isEqualTo(InetAddress.getByName("127.0.0.1"));
        assertThat(t.localEndpoint().getPort()).isPositive().isNotEqualTo(port);
        assertThat(t.groupEndpoint()).isEqualTo(new InetSocketAddress("224.255.222.239", port));
        assertThat(t.networkInterface().getName()).isEqualTo("lo");
    }

    @Test
    void unicastReachesOnlyTheTarget() {
        Collector a = new Collector();
        Collector b = new Collector();
        Collector c = new Collector();
        UdpTransport ta = started(a);
        UdpTransport tb = started(b);
        started(c);

        ta.sendTo(tb.localEndpoint(), bytes("just for b"), 0, 10);
        assertThat(b.awaitCount(1)).isTrue();
        assertThat(b.received.get(0)).isEqualTo(new Received("just for b", ta.localEndpoint(), "mbus-receive-" + port));

        // A group datagram sent afterwards is a marker: once C and A have seen their marker traffic,
        // the unicast would have arrived too had it been delivered to them.
        ta.sendToGroup(bytes("marker"), 0, 6);
        assertThat(c.awaitCount(1)).isTrue();
        assertThat(b.awaitCount(2)).isTrue();
        assertThat(await(() -> ta.stats().ownDropped() == 1, Duration.ofSeconds(5))).isTrue();
        assertThat(c.texts()).containsExactly("marker");
        assertThat(a.count()).isZero();
    }

    @Test
    void unicastToItselfIsDroppedAsOwn() {
        Collector a = new Collector();
        UdpTransport ta = started(a);
        ta.sendTo(ta.localEndpoint(), bytes("me"), 0, 2);
        assertThat(await(() -> ta.stats().ownDropped() == 1, Duration.ofSeconds(5))).isTrue();
        assertThat(a.count()).isZero();
    }

    @Test
    void burstOfAThousandIsAllReceivedAndFollowedByIdle() {
        Collector b = new Collector();
        Collector c = new Collector();
        UdpTransport ta = open();
        UdpTransport tb = started(b);
        started(c);

        byte[] datagram = new byte[200];
        for (int i = 0; i < 1000; i++) {
            byte[] seq = bytes(String.format("%04d", i));
            System.arraycopy(seq, 0, datagram, 0, 4);
            ta.sendToGroup(datagram, 0, 4);
        }

        for (Collector collector : List.of(b, c)) {
            assertThat(collector.awaitCount(1000)).as("received %d", collector.count()).isTrue();
            assertThat(new HashSet<>(collector.texts())).hasSize(1000);
            assertThat(await(() -> collector.idleAfterLast, Duration.ofSeconds(5))).as("idle after burst").isTrue();
            assertThat(collector.idles.get()).isPositive();
        }
        assertThat(ta.stats().sent()).isEqualTo(1000);
        assertThat(ta.stats().sendDropped()).isZero();
        assertThat(tb.stats().received()).isEqualTo(1000);
    }

    @Test
    void sendersOnSeveralThreadsAreAllDelivered() throws Exception {
        Collector b = new Collector();
        UdpTransport ta = open();
        started(b);
        List<Thread> senders = new ArrayList<>();
        for (int s = 0; s < 4; s++) {
            int sender = s;
            senders.add(new Thread(() -> {
                for (int i = 0; i < 250; i++) {
                    byte[] d = bytes(sender + ":" + i);
                    ta.sendToGroup(d, 0, d.length);
                }
            }));
        }
        senders.forEach(Thread::start);
        for (Thread t : senders) {
            t.join(10_000);
        }
        assertThat(b.awaitCount(1000)).as("received %d", b.count()).isTrue();
        assertThat(new HashSet<>(b.texts())).hasSize(1000);
    }

    @Test
    void aThrowingReceiverDoesNotStopReception() {
        AtomicInteger calls = new AtomicInteger();
        Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        DatagramReceiver throwing = new DatagramReceiver() {
            @Override
            public void receive(byte[] buffer, int offset, int length, InetSocketAddress sender) {
                seen.add(new String(buffer, offset, length));
                if (calls.incrementAndGet() % 2 == 1) {
                    throw new IllegalStateException("receiver bug");
                }
            }

            @Override
            public void idle() {
                throw new IllegalStateException("idle bug");
            }
        };
        UdpTransport ta = open();
        UdpTransport tb = open();
        tb.start(throwing);

        for (int i = 0; i < 20; i++) {
            byte[] d = bytes("d" + i);
            ta.sendToGroup(d, 0, d.length);
        }
        assertThat(await(() -> seen.size() == 20, Duration.ofSeconds(5))).isTrue();
        assertThat(await(() -> tb.stats().receiverErrors() >= 11, Duration.ofSeconds(5))).isTrue(); // 10 + idle
        assertThat(tb.stats().received()).isEqualTo(20);
    }

    static Stream<Error> errors() {
        return Stream.of(new AssertionError("an engine assertion"), new StackOverflowError("deep recursion"),
                new OutOfMemoryError("one datagram's worth too much"));
    }

    /** The receive thread is shared by every transport on the port: one receiver's error must not stop the others. */
    @ParameterizedTest
    @MethodSource("errors")
    void anErrorThrownByOneReceiverStopsNeitherItsReceptionNorThatOfTheTransportsSharingItsThread(Error error) {
        AtomicInteger calls = new AtomicInteger();
        Set<String> seenByThrowing = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Set<String> seenByOther = java.util.concurrent.ConcurrentHashMap.newKeySet();
        DatagramReceiver throwing = new DatagramReceiver() {
            @Override
            public void receive(byte[] buffer, int offset, int length, InetSocketAddress sender) {
                seenByThrowing.add(new String(buffer, offset, length));
                if (calls.incrementAndGet() <= 3) {
                    throw error;
                }
            }

            @Override
            public void idle() {
                throw error;
            }
        };
        UdpTransport ta = open();
        UdpTransport tb = open();
        UdpTransport tc = open();
        tb.start(throwing);
        tc.start((buffer, offset, length, sender) -> seenByOther.add(new String(buffer, offset, length)));

        for (int i = 0; i < 20; i++) {
            byte[] d = bytes("d" + i);
            ta.sendToGroup(d, 0, d.length);
        }

        assertThat(await(() -> seenByThrowing.size() == 20 && seenByOther.size() == 20, Duration.ofSeconds(5)))
                .as("both heard every datagram").isTrue();
        assertThat(await(() -> tb.stats().receiverErrors() >= 4, Duration.ofSeconds(5))).isTrue(); // 3 + idle
        assertThat(tc.stats().receiverErrors()).isZero();
    }

    @Test
    void theEntitiesOfABusShareAFewReceiveThreadsAndGroupSocketsAndEachStillHearsEveryDatagram() {
        // The kernel copies a group datagram to every socket joined to the group, and wakes every
        // thread that waits on one: with a socket and a thread per entity, each hello on a bus of
        // 100 entities in one JVM was copied 100 times and woke 100 threads.
        List<Collector> collectors = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            collectors.add(new Collector());
            started(collectors.get(i));
        }
        UdpTransport sender = open();

        assertThat(receiveThreads(port)).isBetween(1L, 4L);
        if (socketsBoundTo(port) >= 0) {
            // One group socket per receive thread, and the sender's own (it does not receive yet).
            assertThat(socketsBoundTo(port)).isEqualTo(receiveThreads(port) + 1);
        }
        sender.sendToGroup(bytes("to all"), 0, 6);
        for (Collector c : collectors) {
            assertThat(c.awaitCount(1)).isTrue();
            assertThat(c.texts()).containsExactly("to all");
            assertThat(await(() -> c.idleAfterLast, Duration.ofSeconds(5))).as("idle after its datagram").isTrue();
        }
    }

    @Test
    void anEntityThatHeardOneDatagramIsIdleWhileAnotherOfItsReceiveThreadIsFlooded() throws Exception {
        // Idle waits for the thread's next look for work, so that a flow gathers its bare
        // acknowledgements: a flood to one entity must not hold back the idle of another.
        AtomicInteger flooded = new AtomicInteger();
        UdpTransport floodedOne = open();
        floodedOne.start((buffer, offset, length, from) -> flooded.incrementAndGet());
        for (int i = 1; i < ReceiveLoops.THREADS_PER_BUS; i++) {
            started(new Collector());
        }
        Collector quiet = new Collector();
        UdpTransport quietOne = started(quiet); // joins the least loaded thread, the first one's
        UdpTransport sender = open();
        AtomicBoolean stop = new AtomicBoolean();
        Thread flood = new Thread(() -> {
            byte[] datagram = bytes("flood");
            for (int i = 0; i < 2_000_000 && !stop.get(); i++) {
                sender.sendTo(floodedOne.localEndpoint(), datagram, 0, datagram.length);
            }
        });
        flood.start();
        try {
            assertThat(await(() -> flooded.get() >= 1_000, Duration.ofSeconds(5))).as("flood under way").isTrue();
            sender.sendTo(quietOne.localEndpoint(), bytes("one"), 0, 3);

            assertThat(quiet.awaitCount(1)).isTrue();
            assertThat(await(() -> quiet.idleAfterLast, Duration.ofSeconds(5))).as("idle after its datagram").isTrue();
            assertThat(flood.isAlive()).as("the flood still going").isTrue();
        } finally {
            stop.set(true);
            flood.join();
        }
    }

    @Test
    void aGroupDatagramThatCameBetweenOpenAndStartIsDeliveredToAnEntityThatJoinsASharedSocket() {
        // The socket a transport opens queues what comes before it starts; when it then joins a
        // thread's shared group socket, its own is closed, and what it held must not go with it.
        List<Collector> first = new ArrayList<>();
        for (int i = 0; i < ReceiveLoops.THREADS_PER_BUS; i++) {
            first.add(new Collector());
            started(first.get(i));
        }
        UdpTransport sender = open();
        Collector late = new Collector();
        UdpTransport lateOne = open();
        sender.sendToGroup(bytes("early"), 0, 5);
        for (Collector c : first) {
            assertThat(c.awaitCount(1)).isTrue(); // the shared sockets have it too, and hand it out first
        }

        lateOne.start(late);

        assertThat(late.awaitCount(1)).isTrue();
        assertThat(late.texts()).containsExactly("early");
        assertThat(await(() -> late.idleAfterLast, Duration.ofSeconds(5))).as("idle after it").isTrue();
        sender.sendToGroup(bytes("later"), 0, 5);
        assertThat(late.awaitCount(2)).isTrue();
        assertThat(late.texts()).containsExactly("early", "later");
    }

    @Test
    void closingOneEntityOfASharedReceiveThreadLeavesTheOthersHearing() throws Exception {
        List<Collector> collectors = new ArrayList<>();
        List<UdpTransport> transports = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            collectors.add(new Collector());
            transports.add(started(collectors.get(i)));
        }
        UdpTransport sender = open();
        InetSocketAddress closedEndpoint = transports.get(0).localEndpoint();
        transports.get(0).close();
        // The closed entity's socket is released when close returns, though its thread goes on.
        try (DatagramChannel exclusive = DatagramChannel.open(StandardProtocolFamily.INET)) {
            exclusive.bind(closedEndpoint);
        }

        sender.sendToGroup(bytes("after"), 0, 5);
        for (int i = 1; i < collectors.size(); i++) {
            assertThat(collectors.get(i).awaitCount(1)).isTrue();
        }
        Thread.sleep(SETTLE.toMillis());
        assertThat(collectors.get(0).count()).isZero();
    }

    @Test
    void closingATransportTwiceLeavesTheOthersOfItsThreadHearing() {
        List<Collector> collectors = new ArrayList<>();
        List<UdpTransport> transports = new ArrayList<>();
        for (int i = 0; i < 2 * ReceiveLoops.THREADS_PER_BUS; i++) {
            collectors.add(new Collector());
            transports.add(started(collectors.get(i)));
        }
        UdpTransport sender = open();
        transports.get(0).close();
        transports.get(0).close();

        sender.sendToGroup(bytes("after"), 0, 5);
        for (int i = 1; i < collectors.size(); i++) {
            assertThat(collectors.get(i).awaitCount(1)).as("transport %d", i).isTrue();
        }
    }

    @Test
    void aFloodedEntityDoesNotStarveAnotherOfItsReceiveThread() throws Exception {
        // Every thread of the bus gets one entity, then the flooded one and the quiet one share the first.
        AtomicBoolean flooding = new AtomicBoolean(true);
        UdpTransport flooded = open();
        flooded.start((buffer, offset, length, sender) -> {
            long until = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(50);
            while (System.nanoTime() < until) {
                Thread.onSpinWait(); // slower than the flood, so its socket never runs dry
            }
        });
        for (int i = 1; i < ReceiveLoops.THREADS_PER_BUS; i++) {
            started(new Collector());
        }
        Collector quiet = new Collector();
        UdpTransport quietOne = started(quiet);
        UdpTransport sender = open();
        Thread flood = new Thread(() -> {
            byte[] d = new byte[100];
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < end && flooding.get()) {
                sender.sendTo(flooded.localEndpoint(), d, 0, d.length);
            }
            flooding.set(false);
        });
        flood.start();
        try {
            Thread.sleep(SETTLE.toMillis());
            sender.sendTo(quietOne.localEndpoint(), bytes("heard"), 0, 5);

            assertThat(quiet.awaitCount(1)).isTrue();
            assertThat(flooding.get()).as("heard while the flood went on").isTrue();
        } finally {
            flooding.set(false);
            flood.join(15_000);
        }
    }

    @Test
    void closeReleasesThePortAndStopsTheThread() throws Exception {
        UdpTransport a = open();
        UdpTransport b = open();
        a.start(new Collector());
        b.start(new Collector());
        assertThat(receiveThreadAlive(port)).isTrue();
        InetSocketAddress endpoint = a.localEndpoint();

        a.close();
        b.close();

        assertThat(receiveThreadAlive(port)).isFalse();
        // Without address reuse these binds only succeed if no socket holds the ports any more.
        try (DatagramChannel exclusive = DatagramChannel.open(StandardProtocolFamily.INET)) {
            exclusive.bind(new InetSocketAddress(port));
        }
        try (DatagramChannel exclusive = DatagramChannel.open(StandardProtocolFamily.INET)) {
            exclusive.bind(endpoint);
        }

        // And a new bus on the same port works at once.
        Collector d = new Collector();
        UdpTransport tc = open();
        started(d);
        tc.sendToGroup(bytes("again"), 0, 5);
        assertThat(d.awaitCount(1)).isTrue();
    }

    @Test
    void noCallbackRunsAfterCloseReturns() throws Exception {
        AtomicBoolean closeReturned = new AtomicBoolean();
        AtomicInteger lateCallbacks = new AtomicInteger();
        AtomicInteger callbacks = new AtomicInteger();
        DatagramReceiver receiver = new DatagramReceiver() {
            @Override
            public void receive(byte[] buffer, int offset, int length, InetSocketAddress sender) {
                callbacks.incrementAndGet();
                if (closeReturned.get()) {
                    lateCallbacks.incrementAndGet();
                }
            }

            @Override
            public void idle() {
                if (closeReturned.get()) {
                    lateCallbacks.incrementAndGet();
                }
            }
        };
        UdpTransport sender = open();
        UdpTransport tb = open();
        tb.start(receiver);

        AtomicBoolean stop = new AtomicBoolean();
        Thread flood = new Thread(() -> {
            byte[] d = new byte[200];
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!stop.get() && System.nanoTime() < end) {
                sender.sendToGroup(d, 0, d.length);
            }
        });
        flood.start();
        assertThat(await(() -> callbacks.get() > 100, Duration.ofSeconds(5))).isTrue();

        tb.close();
        closeReturned.set(true);
        Thread.sleep(SETTLE.toMillis());
        stop.set(true);
        flood.join(10_000);

        assertThat(lateCallbacks.get()).isZero();
        assertThat(receiveThreadAlive(port)).as("only the sender is left, and it was never started").isFalse();
    }

    @Test
    void closeFromACallbackStopsAfterThatCallback() throws Exception {
        AtomicInteger callbacks = new AtomicInteger();
        UdpTransport ta = open();
        UdpTransport tb = open();
        CountDownLatch first = new CountDownLatch(1);
        tb.start((buffer, offset, length, sender) -> {
            callbacks.incrementAndGet();
            tb.close();
            first.countDown();
        });
        byte[] d = bytes("x");
        for (int i = 0; i < 10; i++) {
            ta.sendToGroup(d, 0, 1);
        }
        assertThat(first.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(await(() -> !receiveThreadAlive(port), Duration.ofSeconds(5))).isTrue();
        assertThat(callbacks.get()).isEqualTo(1);
        InetSocketAddress endpoint = tb.localEndpoint();
        try (DatagramChannel exclusive = DatagramChannel.open(StandardProtocolFamily.INET)) {
            exclusive.bind(endpoint); // released by the receive thread on its way out
        }
    }

    @Test
    void lifecycleMisuseIsReportedClearly() {
        UdpTransport t = open();
        t.start(new Collector());
        assertThatThrownBy(() -> t.start(new Collector()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already started");
        t.close();
        t.close(); // idempotent
        assertThatThrownBy(() -> t.start(new Collector()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> t.sendToGroup(new byte[1], 0, 1))
                .isInstanceOf(TransportException.class).hasMessageContaining("transport is closed");
    }

    @Test
    void closeWithoutStartReleasesTheSockets() throws Exception {
        UdpTransport t = open();
        t.close();
        try (DatagramChannel exclusive = DatagramChannel.open(StandardProtocolFamily.INET)) {
            exclusive.bind(new InetSocketAddress(port));
        }
    }

    @Test
    void sendErrorsAreCountedAndThrown() {
        UdpTransport t = open();
        byte[] tooLong = new byte[65_600]; // above the UDP maximum: refused by the kernel, nothing sent
        assertThatThrownBy(() -> t.sendToGroup(tooLong, 0, tooLong.length))
                .isInstanceOf(TransportException.class)
                .hasMessageContaining("Sending 65600 bytes to 224.255.222.239:" + port + " from 127.0.0.1:");
        assertThat(t.stats().sendFailures()).isEqualTo(1);
        assertThat(t.stats().sent()).isZero();
        assertThatThrownBy(() -> t.sendToGroup(new byte[4], 2, 3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> t.sendTo(InetSocketAddress.createUnresolved("localhost", 1), new byte[1], 0, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anInterruptedSenderDoesNotCloseTheSocket() {
        Collector b = new Collector();
        UdpTransport ta = open();
        started(b);
        Thread.currentThread().interrupt();
        try {
            ta.sendToGroup(bytes("one"), 0, 3);
        } finally {
            assertThat(Thread.interrupted()).isTrue();
        }
        ta.sendToGroup(bytes("two"), 0, 3);
        assertThat(b.awaitCount(2)).isTrue();
        assertThat(b.texts()).containsExactly("one", "two");
    }

    @Test
    void transportsOnOtherPortsDoNotHearEachOther() {
        Collector b = new Collector();
        UdpTransport ta = open();
        UdpTransport other = UdpTransport.open(loopback(freePort()));
        opened.add(other);
        Collector o = new Collector();
        other.start(o);
        started(b);
        ta.sendToGroup(bytes("here"), 0, 4);
        assertThat(b.awaitCount(1)).isTrue();
        other.sendToGroup(bytes("own"), 0, 3);
        assertThat(await(() -> other.stats().ownDropped() == 1, Duration.ofSeconds(5))).isTrue();
        assertThat(o.count()).isZero();
    }

    @Test
    void describeAndReceiveBuffer() {
        UdpTransport t = open();
        assertThat(t.receiveBufferBytes()).isBetween(TransportSettings.MIN_RECEIVE_BUFFER_BYTES, 4 * 1024 * 1024);
        assertThat(t.describe()).isEqualTo("224.255.222.239:" + port + " on lo, HOSTLOCAL (TTL 0), receive buffer "
                + t.receiveBufferBytes() + ", endpoint 127.0.0.1:" + t.localEndpoint().getPort());
    }

    @Test
    void anUnknownInterfaceIsRejectedWithTheList() {
        assertThatThrownBy(() -> UdpTransport.open(loopback(port).withNetworkInterface("nosuch0")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("available: ")
                .hasMessageContaining("lo");
    }
}
