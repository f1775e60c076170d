package dev.mbus.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.mbus.core.DeliveryException;
import dev.mbus.core.awareness.Peer;
import dev.mbus.core.codec.DatagramCodec;
import dev.mbus.core.message.Message;
import dev.mbus.core.transport.EarlyArrivalsTransport;
import dev.mbus.core.message.Address;
import dev.mbus.core.transport.MemoryNetwork;
import dev.mbus.core.message.Command;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.Collections;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The protocol behaviour of entities on a deterministic in-memory bus. */
class EntityBehaviourTest {

    private final MemoryBus bus = new MemoryBus(42);

    @AfterEach
    void closeBus() {
        bus.close();
    }

    private static Address address(String text) {
        return Address.parse(text);
    }

    private static DeliveryException.Reason reasonOf(CompletableFuture<?> future) {
        assertThat(future).isCompletedExceptionally();
        try {
            future.join();
        } catch (CompletionException e) {
            assertThat(e.getCause()).isInstanceOf(DeliveryException.class);
            return ((DeliveryException) e.getCause()).reason();
        }
        throw new AssertionError("not failed");
    }

    @Test
    void entitiesFindEachOtherThroughTheirFirstHello() {
        MbusEntity a = bus.join("(app:test module:a)");
        MbusEntity b = bus.join("(app:test module:b)");
        bus.deliver();

        assertThat(a.peers()).extracting(Peer::address).containsExactly(b.address());
        assertThat(b.peers()).extracting(Peer::address).containsExactly(a.address());
        assertThat(b.peers().get(0).endpoint()).isEqualTo(a.localEndpoint());
    }

    @Test
    void generatedIdMakesEachAddressUnique() {
        MbusEntity a = bus.join("(app:test)");
        MbusEntity b = bus.join("(app:test)");

        assertThat(a.address().get("id")).matches("\\d+-\\d+@.+");
        assertThat(a.address()).isNotEqualTo(b.address());
        assertThat(bus.join("(app:test id:fixed)").address().get("id")).isEqualTo("fixed");
    }

    @Test
    void unreliableCommandsReachEveryMatchingEntityOnly() {
        MbusEntity sender = bus.join("(app:test module:a)");
        List<String> heardByUi = new ArrayList<>();
        List<String> heardByEngine = new ArrayList<>();
        bus.join("(app:test module:ui)").subscribe("tool.*", in -> heardByUi.add(in.command().toString()));
        bus.join("(app:test module:engine)").subscribe("tool.*", in -> heardByEngine.add(in.command().toString()));
        bus.deliver();

        sender.send(address("(module:ui)"), Command.of("tool.volume", 42), Command.of("tool.mute", 0));
        sender.send(Address.BROADCAST, Command.of("tool.ping"));
        bus.deliver();

        assertThat(heardByUi).containsExactly("tool.volume (42)", "tool.mute (0)", "tool.ping ()");
        assertThat(heardByEngine).containsExactly("tool.ping ()");
    }

    @Test
    void handlersMatchExactNamesAndPrefixPatterns() {
        MbusEntity sender = bus.join("(app:a)");
        MbusEntity receiver = bus.join("(app:b)");
        List<String> exact = new ArrayList<>();
        List<String> prefix = new ArrayList<>();
        receiver.subscribe("tool.rat.volume", in -> exact.add(in.name()));
        Subscription all = receiver.subscribe("tool.rat.*", in -> prefix.add(in.name()));
        bus.deliver();

        sender.send(address("(app:b)"), Command.of("tool.rat.volume", 1), Command.of("tool.rat.codec.set", "x"),
                Command.of("tool.rat"), Command.of("tool.ratx.volume"));
        bus.deliver();
        all.close();
        sender.send(address("(app:b)"), Command.of("tool.rat.mute"));
        bus.deliver();

        assertThat(exact).containsExactly("tool.rat.volume");
        assertThat(prefix).containsExactly("tool.rat.volume", "tool.rat.codec.set");
    }

    @Test
    void handlerSeesSourceAndWholeMessage() {
        MbusEntity sender = bus.join("(app:a)");
        MbusEntity receiver = bus.join("(app:b)");
        List<IncomingCommand> seen = new ArrayList<>();
        receiver.subscribe("x.y", seen::add);
        bus.deliver();

        sender.send(receiver.address(), Command.of("x.y", "text", 2.5));
        bus.deliver();

        assertThat(seen).hasSize(1);
        assertThat(seen.get(0).source()).isEqualTo(sender.address());
        assertThat(seen.get(0).message().destination()).isEqualTo(receiver.address());
        assertThat(seen.get(0).sender()).isEqualTo(sender.localEndpoint());
        assertThat(seen.get(0).arg(1).asDouble()).isEqualTo(2.5);
    }

    @Test
    void reliableSendCompletesOnAcknowledgementAndDeliversOnce() {
        MbusEntity a = bus.join("(app:a)");
        MbusEntity b = bus.join("(app:b)");
        List<Long> got = MemoryBus.firstArguments(b, "count");
        bus.deliver();

        CompletableFuture<Void> sent = a.sendReliable(address("(app:b)"), Command.of("count", 7));
        assertThat(sent).isNotDone();
        bus.deliver();

        assertThat(sent).isCompleted();
        assertThat(got).containsExactly(7L);
        assertThat(a.stats().reliableAcknowledged()).isEqualTo(1);
        assertThat(a.stats().reliableInFlight()).isZero();
    }

    @Test
    void reliableSendFailsAtOnceForUnknownOrAmbiguousDestinations() {
        MbusEntity a = bus.join("(app:a)");
        bus.join("(app:b module:x)");
        bus.join("(app:b module:y)");
        bus.deliver();

        assertThat(reasonOf(a.sendReliable(address("(app:nobody)"), Command.of("x"))))
                .isEqualTo(DeliveryException.Reason.UNKNOWN_DESTINATION);
        assertThat(reasonOf(a.sendReliable(address("(app:b)"), Command.of("x"))))
                .isEqualTo(DeliveryException.Reason.DESTINATION_NOT_UNIQUE);
        assertThat(a.sendReliable(address("(app:b module:x)"), Command.of("x"))).isNotDone();
    }

    @Test
    void retransmitsOnTheRfcScheduleAndFailsAfterAboutOneSecond() {
        MbusEntity a = bus.join("(app:a)");
        MbusEntity b = bus.join("(app:b)");
        bus.deliver();
        bus.transportOf(b).close();

        CompletableFuture<Void> sent = a.sendReliable(b.address(), Command.of("lost"));
        long before = bus.network.sent();
        bus.run(Duration.ofMillis(95));
        assertThat(a.stats().retransmissions()).isZero();
        bus.run(Duration.ofMillis(10));
        assertThat(a.stats().retransmissions()).isEqualTo(1);
        bus.run(Duration.ofMillis(200));
        assertThat(a.stats().retransmissions()).isEqualTo(2);
        bus.run(Duration.ofMillis(300));
        assertThat(a.stats().retransmissions()).isEqualTo(3);
        assertThat(sent).isNotDone();
        bus.run(Duration.ofMillis(385));
        assertThat(sent).isNotDone();
        bus.run(Duration.ofMillis(100));

        assertThat(reasonOf(sent)).isEqualTo(DeliveryException.Reason.NO_ACKNOWLEDGEMENT);
        assertThat(a.stats().reliableFailed()).isEqualTo(1);
        assertThat(bus.network.sent() - before).isGreaterThanOrEqualTo(3);
    }

    @Test
    void retransmissionAfterALostAcknowledgementIsAcknowledgedButNotDeliveredAgain() {
        MbusEntity a = bus.join("(app:a)");
        MbusEntity b = bus.join("(app:b)");
        List<String> got = new ArrayList<>();
        b.subscribe("once", in -> got.add(in.name()));
        bus.deliver();

        CompletableFuture<Void> sent = a.sendReliable(b.address(), Command.of("once"));
        bus.network.dropNextFrom(b.localEndpoint(), 1);
        bus.deliver();
        assertThat(got).containsExactly("once");
        assertThat(sent).isNotDone();

        bus.run(Duration.ofMillis(110));

        assertThat(sent).isCompleted();
        assertThat(got).containsExactly("once");
        assertThat(b.stats().duplicates()).isEqualTo(1);
        assertThat(a.stats().retransmissions()).isEqualTo(1);
    }

    @Test
    void aSlowHandlerDelaysOnlyItsOwnSendersCommandsWhichStayInOrder() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            MbusEntity slowSender = bus.join("(app:slow)");
            MbusEntity fastSender = bus.join("(app:fast)");
            MbusEntity receiver = bus.join("(app:receiver)", builder -> builder.handlerExecutor(pool));
            CountDownLatch release = new CountDownLatch(1);
            List<String> handled = Collections.synchronizedList(new ArrayList<>());
            receiver.subscribe("work", in -> {
                if (in.source().equals(slowSender.address()) && in.arg(0).asLong() == 0) {
                    release.await(10, TimeUnit.SECONDS);
                }
                handled.add(in.source().get("app") + in.arg(0).asLong());
            });
            bus.deliver();

            for (int i = 0; i < 3; i++) {
                slowSender.send(receiver.address(), Command.of("work", i));
                fastSender.send(receiver.address(), Command.of("work", i));
            }
            bus.deliver();
            await().atMost(Duration.ofSeconds(10)).until(() -> handled.size() == 3);
            assertThat(handled).containsExactly("fast0", "fast1", "fast2");

            release.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> handled.size() == 6);
            assertThat(handled.subList(3, 6)).containsExactly("slow0", "slow1", "slow2");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFullHandlerQueueDropsUnreliableMessagesAndLosesNothingReliable() {
        List<Runnable> waiting = new ArrayList<>();
        MbusEntity a = bus.join("(app:a)", builder -> builder.batching(Batching.OFF));
        MbusEntity b = bus.join("(app:b)", builder -> builder.maxQueuedPerSender(3).handlerExecutor(waiting::add));
        List<Long> handled = MemoryBus.firstArguments(b, "n");
        bus.deliver();
        List<Command> tenCommands = new ArrayList<>();
        for (long n = 0; n < 10; n++) {
            tenCommands.add(Command.of("n", n));
        }

        CompletableFuture<Void> ten = a.sendReliable(b.address(), tenCommands);
        bus.deliver();
        a.send(b.address(), Command.of("n", 99)); // the queue is full: dropped, counted
        CompletableFuture<Void> later = a.sendReliable(b.address(), Command.of("n", 10)); // taken, acknowledged when handled
        bus.deliver();

        assertThat(ten).as("accepted whole, though it holds more commands than the queue").isCompleted();
        assertThat(later).isNotDone();
        assertThat(b.stats().overloaded()).isEqualTo(1);
        runAll(waiting);
        bus.deliver();

        assertThat(later).isCompleted();
        assertThat(handled).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
    }

    @Test
    void theHandlerQueueBoundCountsTheCallsOfEachCommandNotTheMessages() {
        List<Runnable> waiting = new ArrayList<>();
        MbusEntity a = bus.join("(app:a)", builder -> builder.batching(Batching.OFF));
        MbusEntity b = bus.join("(app:b)", builder -> builder.maxQueuedPerSender(3).handlerExecutor(waiting::add));
        List<Long> handled = MemoryBus.firstArguments(b, "n");
        bus.deliver();

        for (long n = 0; n < 6; n += 2) {
            a.send(b.address(), Command.of("n", n), Command.of("n", n + 1)); // two calls a message
        }
        bus.deliver();
        runAll(waiting);

        assertThat(b.stats().overloaded()).as("the third message found four calls waiting").isEqualTo(1);
        assertThat(handled).containsExactly(0L, 1L, 2L, 3L);
    }

    @Test
    void reliableMessagesPastAFullHandlerQueueHoldTheirSenderBackAndNoneFailsWhileTheHandlerStalls() {
        List<Runnable> waiting = new ArrayList<>();
        MbusEntity a = bus.join("(app:a)", builder -> builder.batching(Batching.OFF));
        MbusEntity b = bus.join("(app:b)", builder -> builder.maxQueuedPerSender(3).handlerExecutor(waiting::add));
        List<Long> handled = MemoryBus.firstArguments(b, "n");
        bus.deliver();

        List<CompletableFuture<Void>> sends = new ArrayList<>();
        for (long n = 0; n < 40; n++) {
            sends.add(a.sendReliable(b.address(), Command.of("n", n)));
        }
        bus.deliver();
        bus.run(Duration.ofMillis(400)); // past the first two retransmissions (100 and 300 ms), the handler stalled

        assertThat(a.stats().retransmissions()).as("retransmitted").isPositive();
        assertThat(a.stats().reliableAcknowledged()).as("acknowledged: held back to the stalled handler's pace")
                .isEqualTo(3);
        bus.run(Duration.ofMillis(2600)); // three reliable lifetimes in all, the handler stalled throughout
        assertThat(sends).as("failed while the handler stalled").noneMatch(CompletableFuture::isCompletedExceptionally);
        runAll(waiting);
        bus.run(Duration.ofMillis(100));
        assertThat(sends).allMatch(send -> send.isDone() && !send.isCompletedExceptionally());
        assertThat(handled).as("each once, in order").containsExactlyElementsOf(
                java.util.stream.LongStream.range(0, 40).boxed().toList());
    }

    @Test
    void aReliableMessageQueuedBeyondTheBoundIsAcknowledgedWhenItsHandlersTakeIt() {
        List<Runnable> waiting = new ArrayList<>();
        MbusEntity a = bus.join("(app:a)", builder -> builder.batching(Batching.OFF));
        MbusEntity b = bus.join("(app:b)", builder -> builder.maxQueuedPerSender(3).handlerExecutor(waiting::add));
        MemoryBus.firstArguments(b, "n");
        bus.deliver();

        List<CompletableFuture<Void>> sends = new ArrayList<>();
        for (long n = 0; n < 5; n++) {
            sends.add(a.sendReliable(b.address(), Command.of("n", n)));
        }
        bus.deliver();

        assertThat(sends.subList(0, 3)).as("while the queue had room").allMatch(CompletableFuture::isDone);
        assertThat(sends.subList(3, 5)).as("beyond the bound: the sender must wait").noneMatch(CompletableFuture::isDone);
        runAll(waiting);
        bus.deliver(); // no time passes: no retransmission can have done it
        assertThat(sends.subList(3, 5)).allMatch(send -> send.isDone() && !send.isCompletedExceptionally());
        assertThat(a.stats().retransmissions()).isZero();
    }

    @Test
    void reliableMessagesHeldBehindAGapHoldTheirSenderBackBeforeTheyFillItsByteBound() throws Exception {
        int window = 60; // 60 small messages take about a quarter of b's bound of 256 KiB per sender
        MbusEntity a = bus.join("(app:a)", builder -> builder.batching(Batching.OFF).reliableWindow(window));
        MbusEntity b = bus.join("(app:b)", builder -> builder.maxInboundBytes(1 << 20, 1 << 18));
        List<Long> handled = MemoryBus.firstArguments(b, "n");
        bus.deliver();

        bus.network.dropNextFrom(a.localEndpoint(), 1); // a gap: everything after it waits for its retransmission
        List<CompletableFuture<Void>> sends = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread sender = new Thread(() -> {
            for (long n = 0; n < 300; n++) {
                sends.add(a.sendReliable(b.address(), Command.of("n", n)));
            }
        });
        sender.start();
        // No time passes, so the gap stays: deliver until the sender waits for a full window.
        for (int i = 0; i < 10_000 && !(sender.getState() == Thread.State.WAITING
                && a.stats().reliableInFlight() == window); i++) {
            bus.deliver();
            Thread.sleep(1);
        }

        assertThat(b.stats().overloaded()).as("refused while held").isZero();
        assertThat(a.stats().reliableAcknowledged() * 1024)
                .as("bytes acknowledged while held: the sender must wait, not fill the bound")
                .isLessThan((1 << 18) / 2);
        // In ticks, each with a pause for the sender's thread, which sends whenever room is made.
        for (int i = 0; i < 20_000 && sender.isAlive(); i++) {
            bus.run(MemoryBus.TICK);
            Thread.sleep(1);
        }
        sender.join(10_000);
        bus.run(Duration.ofSeconds(1));
        assertThat(b.stats().overloaded()).as("refused").isZero();
        assertThat(sends).hasSize(300).allMatch(send -> send.isDone() && !send.isCompletedExceptionally());
        assertThat(handled).as("each once, in order").containsExactlyElementsOf(
                java.util.stream.LongStream.range(0, 300).boxed().toList());
    }

    @Test
    void byDefaultAnUnreliableBurstOfFiftyThousandCommandsWaitsOutAStalledHandler() {
        // At a million commands a second that is 50 ms: several time slices of a busy CPU.
        List<Runnable> waiting = new ArrayList<>();
        MbusEntity a = bus.join("(app:a)", builder -> builder.batching(Batching.OFF));
        MbusEntity b = bus.join("(app:b)", builder -> builder.handlerExecutor(waiting::add));
        List<Long> handled = MemoryBus.firstArguments(b, "n");
        bus.deliver();

        sendNumberedUnreliably(a, b, 100, 500);
        runAll(waiting);

        assertThat(b.stats().overloaded()).as("dropped").isZero();
        assertThat(handled).containsExactlyElementsOf(java.util.stream.LongStream.range(0, 50_000).boxed().toList());
    }

    /** {@code messages} unreliable messages of {@code commands} commands {@code n}, numbered from 0 across them all. */
    private void sendNumberedUnreliably(MbusEntity from, MbusEntity to, int messages, int commands) {
        for (long message = 0; message < messages; message++) {
            List<Command> batch = new ArrayList<>();
            for (long n = 0; n < commands; n++) {
                batch.add(Command.of("n", message * commands + n));
            }
            from.send(to.address(), batch);
            bus.deliver();
        }
    }

    private static void runAll(List<Runnable> waiting) {
        while (!waiting.isEmpty()) {
            waiting.remove(0).run();
        }
    }

    @Test
    void aFullReliableWindowMakesSendersWaitUntilAnAcknowledgementMakesRoom() throws Exception {
        // Without batching, each send is a message of its own and takes a place in the window.
        MbusEntity a = bus.join("(app:a)", builder -> builder.reliableWindow(2).batching(Batching.OFF));
        MbusEntity b = bus.join("(app:b)");
        bus.deliver();
        a.sendReliable(b.address(), Command.of("one"));
        a.sendReliable(b.address(), Command.of("two"));

        sendWaitsForRoomUntilAcknowledgementsCome(a, b, Command.of("three"), 2,
                "the sender waits while the window is full");
        assertThat(a.stats().reliableAcknowledged()).isEqualTo(3);
    }

    @Test
    void aReliableWindowFullOfBytesMakesSendersWaitThoughItHasRoomForMoreMessages() throws Exception {
        MbusEntity a = bus.join("(app:a)", builder -> builder.reliableWindow(1024).reliableWindowBytes(4_000)
                .batching(Batching.OFF));
        MbusEntity b = bus.join("(app:b)");
        bus.deliver();
        String kilobyte = "x".repeat(1_000);
        for (int i = 0; i < 4; i++) {
            a.sendReliable(b.address(), Command.of("big", kilobyte)); // over 1,000 bytes each
        }

        sendWaitsForRoomUntilAcknowledgementsCome(a, b, Command.of("big", kilobyte), 4,
                "the sender waits while 4,000 bytes are in flight");
    }

    /**
     * Sends {@code command} from another thread, which must wait while {@code inFlight} messages
     * are unacknowledged; then delivers, and the send must get its room and its acknowledgement.
     */
    private void sendWaitsForRoomUntilAcknowledgementsCome(MbusEntity from, MbusEntity to, Command command,
            int inFlight, String why) throws Exception {
        CompletableFuture<CompletableFuture<Void>> waiting = CompletableFuture.supplyAsync(
                () -> from.sendReliable(to.address(), command));
        Thread.sleep(100);
        assertThat(waiting).as(why).isNotDone();
        assertThat(from.stats().reliableInFlight()).isEqualTo(inFlight);

        bus.deliver();

        assertThat(waiting.get(10, TimeUnit.SECONDS)).isNotNull();
        bus.deliver();
        assertThat(waiting.join()).isCompleted();
    }

    @Test
    void theByteBoundCountsWhatEachCommandOfAMessageHoldsInTheHeap() {
        List<Runnable> waiting = new ArrayList<>();
        MbusEntity a = bus.join("(app:a)", builder -> builder.batching(Batching.OFF));
        MbusEntity b = bus.join("(app:b)", builder -> builder.maxInboundBytes(1 << 20, 1 << 18)
                .handlerExecutor(waiting::add));
        List<Long> handled = MemoryBus.firstArguments(b, "n");
        bus.deliver();

        sendNumberedUnreliably(a, b, 100, 200);
        runAll(waiting);

        // Measured with queued calls stalled: a command and its call take about 115 bytes beyond its text.
        assertThat(handled.size() * 115L).as("heap the held commands took").isLessThanOrEqualTo(1 << 18);
        assertThat(b.stats().overloaded()).as("the rest were refused").isPositive();
    }

    @Test
    void anEntityCreatedFirstHasItsHandlersInPlaceBeforeAnyoneCanAddressIt() {
        MbusEntity sender = bus.join("(app:sender)");
        MemoryNetwork.MemoryTransport transport = bus.network.newTransport();
        MbusEntity late = MbusEntity.create(EntityConfig.builder().address(address("(app:late)")).keys(MemoryBus.KEYS)
                .transport(transport).clock(bus.clock).timerThread(false).handlerExecutor(Runnable::run).build());
        List<Long> got = MemoryBus.firstArguments(late, "n");
        bus.deliver();
        assertThat(sender.peers()).as("not on the bus before start").isEmpty();

        late.start();
        bus.deliver();
        CompletableFuture<Void> sent = sender.sendReliable(late.address(), Command.of("n", 1));
        bus.deliver();

        assertThat(sent).isCompleted();
        assertThat(got).containsExactly(1L);
        late.close();
    }

    @Test
    void whatArrivesTheMomentAnEntityStartsReceivingIsTakenAndHandled() {
        long now = bus.clock.currentTimeMillis();
        DatagramCodec codec = new DatagramCodec(MemoryBus.KEYS);
        List<byte[]> early = List.of(
                codec.encode(new Message(7, now, true, address("(app:early)"), address("(app:late)"), List.of(),
                        List.of(Command.of("n", 1)))),
                codec.encode(new Message(8, now, false, address("(app:early)"), address("(app:late)"), List.of(),
                        List.of(Command.of("n", 2)))));
        MemoryNetwork.MemoryTransport transport = bus.network.newTransport();
        MbusEntity late = MbusEntity.create(EntityConfig.builder().address(address("(app:late)")).keys(MemoryBus.KEYS)
                .transport(new EarlyArrivalsTransport(transport, early, new InetSocketAddress("127.0.0.1", 9)))
                .clock(bus.clock).timerThread(false).handlerExecutor(Runnable::run).build());
        List<Long> got = MemoryBus.firstArguments(late, "n");

        late.start();

        assertThat(got).containsExactly(1L, 2L);
        assertThat(late.stats().received()).isEqualTo(2);
        assertThat(late.stats().droppedTotal()).isZero();
        late.close();
    }

    @Test
    void closingAnEntityThatNeverStartedReleasesItsTransportSilently() {
        MbusEntity watcher = bus.join("(app:watcher)");
        MemoryNetwork.MemoryTransport transport = bus.network.newTransport();
        MbusEntity never = MbusEntity.create(EntityConfig.builder().address(address("(app:never)")).keys(MemoryBus.KEYS)
                .transport(transport).clock(bus.clock).timerThread(false).handlerExecutor(Runnable::run).build());
        long sentBefore = bus.network.sent();

        never.close();
        bus.deliver();

        assertThat(transport.isClosed()).isTrue();
        assertThat(bus.network.sent()).isEqualTo(sentBefore);
        assertThat(watcher.peers()).isEmpty();
        assertThatThrownBy(never::start).isInstanceOf(IllegalStateException.class);
    }
}
