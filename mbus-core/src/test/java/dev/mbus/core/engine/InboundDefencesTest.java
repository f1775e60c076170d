package dev.mbus.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mbus.core.DeliveryException;
import dev.mbus.core.InvalidDatagramException.Reason;
import dev.mbus.core.codec.DatagramCodec;
import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import dev.mbus.core.message.Message;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** What arrives authentic but hostile (stale, forged peers, floods) never costs a genuine peer anything. */
class InboundDefencesTest {

    private static final DatagramCodec CODEC = new DatagramCodec(MemoryBus.KEYS);

    private static byte[] datagram(long sequence, long timestamp, boolean reliable, Address from, Address to, Command command) {
        return CODEC.encode(new Message(sequence, timestamp, reliable, from, to, List.of(), List.of(command)));
    }

    @Test
    void aMessageStampedOutsideTheFreshnessWindowIsDroppedAsStaleEitherWay() {
        try (MemoryBus bus = new MemoryBus(21)) {
            MbusEntity b = bus.join("(app:b)");
            List<Long> delivered = MemoryBus.firstArguments(b, "n");
            Address other = Address.parse("(app:other id:1)");
            long now = bus.clock.currentTimeMillis();
            InetSocketAddress from = new InetSocketAddress("127.0.0.1", 7001);

            bus.network.inject(datagram(10, now - 24_000, true, other, b.address(), Command.of("n", 1)), from);
            bus.network.inject(datagram(11, now + 24_000, true, other, b.address(), Command.of("n", 2)), from);
            bus.network.inject(datagram(12, now - 9_000, true, other, b.address(), Command.of("n", 3)), from);
            bus.deliver();

            assertThat(delivered).containsExactly(3L);
            assertThat(b.stats().dropped().get(Reason.STALE)).isEqualTo(2);
        }
    }

    @Test
    void theFreshnessWindowIsConfigurable() {
        try (MemoryBus bus = new MemoryBus(22)) {
            MbusEntity b = bus.join("(app:b)", builder -> builder.freshness(Duration.ofSeconds(60)));
            List<Long> delivered = MemoryBus.firstArguments(b, "n");
            long now = bus.clock.currentTimeMillis();

            bus.network.inject(datagram(10, now - 24_000, false, Address.parse("(app:other id:1)"), b.address(),
                    Command.of("n", 1)), new InetSocketAddress("127.0.0.1", 7001));
            bus.deliver();

            assertThat(delivered).containsExactly(1L);
        }
    }

    @Test
    void aFullPeerTableOfForgedHellosNeitherLocksOutAGenuinePeerNorStretchesTheHelloInterval() {
        try (MemoryBus bus = new MemoryBus(23)) {
            MbusEntity a = bus.join("(app:a)", builder -> builder.maxPeers(4096));
            long now = bus.clock.currentTimeMillis();
            for (int fake = 0; fake < 4096; fake++) {
                bus.network.inject(datagram(1, now, false, Address.parse("(app:fake id:" + fake + ")"), Address.BROADCAST,
                        Command.of("mbus.hello")), new InetSocketAddress("127.0.0.1", 30_000 + fake % 20_000));
            }
            bus.deliver();
            assertThat(a.peers()).hasSize(4096);

            MbusEntity genuine = bus.join("(app:genuine)");
            bus.run(Duration.ofMillis(500));
            assertThat(a.peers()).extracting(peer -> peer.address()).contains(genuine.address());

            AtomicInteger hellosFromA = new AtomicInteger();
            bus.network.tap(packet -> {
                if (packet.from().equals(a.localEndpoint())) {
                    hellosFromA.incrementAndGet();
                }
            });
            bus.run(Duration.ofSeconds(10));
            assertThat(hellosFromA.get()).as("about one hello a second, as with one peer").isBetween(8, 12);
            assertThat(a.peers()).extracting(peer -> peer.address()).contains(genuine.address());
        }
    }

    @Test
    void inboundBytesStayBoundedWhileHandlersLagAndNothingAcknowledgedIsLost() {
        ManualExecutor handlers = new ManualExecutor();
        try (MemoryBus bus = new MemoryBus(24)) {
            // A window in bytes wider than all 40 messages: the test's thread must never wait for room.
            MbusEntity a = bus.join("(app:a)", builder -> builder.reliableWindow(64).reliableWindowBytes(64 << 20));
            MbusEntity b = bus.join("(app:b)", builder -> builder.handlerExecutor(handlers)
                    .maxInboundBytes(400_000, 200_000));
            List<Long> reliable = Collections.synchronizedList(new ArrayList<>());
            b.subscribe("big", in -> reliable.add(in.arg(0).asLong()));
            bus.deliver();
            handlers.runAll();
            String payload = "x".repeat(30_000);

            List<CompletableFuture<Void>> outcomes = new ArrayList<>();
            for (int n = 0; n < 40; n++) {
                outcomes.add(a.sendReliable(b.address(), Command.of("big", n, payload)));
                a.send(b.address(), Command.of("loose", n, payload));
                bus.deliver();
                assertThat(b.stats().inboundBytes()).isLessThanOrEqualTo(200_000);
            }
            assertThat(b.stats().overloaded()).isPositive();

            for (int round = 0; round < 400 && outcomes.stream().anyMatch(outcome -> !outcome.isDone()); round++) {
                handlers.runAll();
                bus.run(MemoryBus.TICK);
            }
            handlers.runAll();

            List<Long> acknowledged = LongStream.range(0, 40)
                    .filter(n -> outcomes.get((int) n).isDone() && !outcomes.get((int) n).isCompletedExceptionally())
                    .boxed().toList();
            assertThat(reliable).as("exactly the acknowledged ones, in order").containsExactlyElementsOf(acknowledged);
            assertThat(acknowledged).as("refused ones were taken when their retransmission found room")
                    .hasSizeGreaterThan(12);
            assertThat(b.stats().inboundBytes()).isZero();
        }
    }

    @Test
    void smallMessagesAreChargedWhatTheyCostInTheHeapNotOnlyTheirText() {
        // 200,000 sources of one small message each, while handlers lagged, held 122 MB of heap
        // under a budget of 64 MB: a decoded message costs about 1 KB beyond its text.
        ManualExecutor handlers = new ManualExecutor();
        try (MemoryBus bus = new MemoryBus(25)) {
            MbusEntity a = bus.join("(app:a)", builder -> builder.batching(Batching.OFF));
            MbusEntity b = bus.join("(app:b)", builder -> builder.handlerExecutor(handlers)
                    .maxQueuedPerSender(1_000).maxInboundBytes(65_536, 65_536));
            List<Long> handled = Collections.synchronizedList(new ArrayList<>());
            b.subscribe("tiny", in -> handled.add(in.arg(0).asLong()));
            bus.deliver();
            handlers.runAll();

            for (int n = 0; n < 100; n++) {
                a.send(b.address(), Command.of("tiny", n));
            }
            bus.deliver();
            handlers.runAll();

            assertThat(handled).as("at most 64 KB / 1 KB of them held at once").hasSizeLessThanOrEqualTo(64);
            assertThat(b.stats().overloaded()).isEqualTo(100 - handled.size());
            assertThat(b.stats().inboundBytes()).isZero();
        }
    }

    @Test
    void futuresCompleteOnTheHandlerExecutorNotOnTheThreadThatReadTheAcknowledgement() {
        ManualExecutor handlers = new ManualExecutor();
        try (MemoryBus bus = new MemoryBus(25)) {
            MbusEntity a = bus.join("(app:a)", builder -> builder.handlerExecutor(handlers));
            MbusEntity b = bus.join("(app:b)");
            bus.deliver();
            handlers.runAll();

            CompletableFuture<Void> sent = a.sendReliable(b.address(), Command.of("n", 1));
            bus.deliver();
            assertThat(sent).as("acknowledged, but completed only by the handler executor").isNotDone();

            handlers.runAll();
            assertThat(sent).isCompletedWithValue(null);
        }
    }

    @Test
    void theFuturesOfReliableSendsThatShareAMessageCompleteOnTheHandlerExecutorInOrder() {
        ManualExecutor handlers = new ManualExecutor();
        try (MemoryBus bus = new MemoryBus(28)) {
            MbusEntity a = bus.join("(app:a)", builder -> builder.handlerExecutor(handlers));
            MbusEntity b = bus.join("(app:b)");
            bus.deliver();
            handlers.runAll();

            List<Integer> completed = new ArrayList<>();
            List<CompletableFuture<Void>> sent = new ArrayList<>();
            for (int n = 0; n < 5; n++) {
                int which = n;
                CompletableFuture<Void> send = a.sendReliable(b.address(), Command.of("n", n));
                send.thenRun(() -> completed.add(which));
                sent.add(send);
            }
            a.flush();
            bus.deliver();
            assertThat(a.stats().sent()).as("the burst shared messages").isLessThan(5 + 1);
            assertThat(a.stats().reliableAcknowledged()).as("acknowledged and counted").isEqualTo(5);
            assertThat(sent).as("completed only by the handler executor").noneMatch(CompletableFuture::isDone);

            handlers.runAll();
            assertThat(completed).containsExactly(0, 1, 2, 3, 4);
        }
    }

    @Test
    void aReliableSendThatFailsAtOnceFailsOnTheHandlerExecutorToo() {
        ManualExecutor handlers = new ManualExecutor();
        try (MemoryBus bus = new MemoryBus(29)) {
            MbusEntity a = bus.join("(app:a)", builder -> builder.handlerExecutor(handlers));
            bus.deliver();
            handlers.runAll();

            CompletableFuture<Void> sent = a.sendReliable(Address.parse("(app:nobody)"), Command.of("n", 1));
            assertThat(sent).isNotDone();
            assertThat(a.stats().reliableFailed()).isEqualTo(1);

            handlers.runAll();
            assertThat(sent).failsWithin(Duration.ZERO).withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOf(DeliveryException.class);
        }
    }

    @Test
    void aReliableSendFromACallbackOnTheReceiveThreadFailsAtOnceWhenTheWindowIsFull() {
        try (MemoryBus bus = new MemoryBus(26)) {
            MbusEntity a = bus.join("(app:a)");
            MbusEntity b = bus.join("(app:b)", builder -> builder.reliableWindow(1));
            List<CompletableFuture<Void>> fromHandler = new ArrayList<>();
            b.subscribe("ping", in -> {
                // The inline executor runs this on the thread that delivers datagrams.
                fromHandler.add(b.sendReliable(in.source(), Command.of("pong", 1)));
                fromHandler.add(b.sendReliable(in.source(), Command.of("pong", 2)));
            });
            bus.deliver();

            a.send(b.address(), Command.of("ping"));
            bus.deliver();

            assertThat(fromHandler).hasSize(2);
            assertThat(fromHandler.get(0)).isCompletedWithValue(null);
            assertThat(fromHandler.get(1)).failsWithin(Duration.ZERO).withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOf(DeliveryException.class)
                    .extracting(e -> ((DeliveryException) e).reason()).isEqualTo(DeliveryException.Reason.WINDOW_FULL);
        }
    }

    @Test
    void anEventListenerThatThrowsAnErrorDoesNotStopThatPeersCommands() {
        try (MemoryBus bus = new MemoryBus(27)) {
            MbusEntity a = bus.join("(app:a)");
            MbusEntity b = bus.join("(app:b)", builder -> builder.eventListener(event -> {
                throw new AssertionError("listener bug");
            }));
            List<Long> delivered = MemoryBus.firstArguments(b, "n");
            bus.deliver();

            a.sendReliable(b.address(), Command.of("n", 1));
            a.send(b.address(), Command.of("mbus.quit"));
            a.sendReliable(b.address(), Command.of("n", 2));
            bus.deliver();

            assertThat(delivered).containsExactly(1L, 2L);
            assertThat(b.stats().handlerErrors()).isEqualTo(2); // a joined, a asked to quit
        }
    }

    /** Runs the tasks given to it only when told to, on the test's thread. */
    static final class ManualExecutor implements Executor {
        private final Queue<Runnable> tasks = new ArrayDeque<>();

        @Override
        public synchronized void execute(Runnable task) {
            tasks.add(task);
        }

        void runAll() {
            for (int i = 0; i < 1_000_000; i++) {
                Runnable task;
                synchronized (this) {
                    task = tasks.poll();
                }
                if (task == null) {
                    return;
                }
                task.run();
            }
            throw new IllegalStateException("tasks kept coming");
        }
    }
}
