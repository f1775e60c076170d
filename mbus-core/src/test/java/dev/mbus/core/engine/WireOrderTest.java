package dev.mbus.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import dev.mbus.core.transport.DatagramReceiver;
import dev.mbus.core.transport.Transport;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Receivers order a sender's messages by their numbers, so the datagrams must leave in the order
 * they were numbered, whichever threads send them: an entity's own hello racing a user's send
 * once left the later number first, so that a receiver held a reliable message behind a gap it
 * did not need, or refused one heard before the first message of the sender it knew of.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WireOrderTest {

    @Test
    void aSendRacingTheEntitysOwnHelloLeavesAfterIt() throws Exception {
        GatedTransport transport = new GatedTransport();
        ManualClock clock = new ManualClock();
        try (MbusEntity entity = gatedEntity(transport, clock)) {
            Thread timers = helloHeldAtTheGate(entity, transport, clock);
            Thread user = new Thread(() -> entity.send(Address.BROADCAST, Command.of("user.step", 1)), "user");
            user.start();
            // Until the user's send is on the wire, or waits for the hello to be.
            while (transport.sent().size() < 2 && user.getState() != Thread.State.BLOCKED
                    && user.getState() != Thread.State.WAITING && user.isAlive()) {
                Thread.onSpinWait();
            }
            transport.openGate();
            timers.join();
            user.join();

            List<Long> numbers = transport.sent();
            assertThat(numbers).hasSizeGreaterThanOrEqualTo(3);
            assertThat(numbers).isSorted();
        }
    }

    @Test
    void aSendWhileAnotherThreadIsInSendtoDoesNotWaitForItAndLeavesAfterItsDatagram() throws Exception {
        GatedTransport transport = new GatedTransport();
        try (MbusEntity entity = gatedEntity(transport)) {
            int before = transport.sent().size();
            transport.closeGate();
            Thread first = new Thread(() -> entity.send(Address.BROADCAST, Command.of("user.step", 1)), "first");
            first.start();
            transport.awaitSendAtGate();
            Thread second = new Thread(() -> entity.send(Address.BROADCAST, Command.of("user.step", 2)), "second");
            second.start();
            second.join(TimeUnit.SECONDS.toMillis(5)); // bounds a failure only: the gate holds the first for 10 s

            assertThat(second.isAlive()).as("the second send returned while the first was still in sendto").isFalse();
            assertThat(transport.sent()).as("nothing passed the gate yet").hasSize(before);
            transport.openGate();
            first.join();

            List<Long> numbers = transport.sent();
            assertThat(numbers).as("the first sender's thread sent both").hasSize(before + 2);
            assertThat(numbers).isSorted();
        }
    }

    @Test
    void aUsersSendsThatFindTheTimerThreadInSendtoAreNotLeftToIt() throws Exception {
        GatedTransport transport = new GatedTransport();
        ManualClock clock = new ManualClock();
        try (MbusEntity entity = gatedEntity(transport, clock)) {
            Thread timers = helloHeldAtTheGate(entity, transport, clock);
            Thread user = new Thread(() -> {
                for (int i = 1; i <= 100; i++) {
                    entity.send(Address.BROADCAST, Command.of("user.step", i));
                }
            }, "user");
            user.start();
            while (user.getState() != Thread.State.WAITING && user.isAlive()) {
                Thread.onSpinWait(); // until it waits for the wire, or is done
            }
            transport.openGate();
            timers.join();
            user.join();

            // The engine's threads must not become a flood's writer: the timer thread would send
            // no hello and no retransmission, the receive thread would read no acknowledgement.
            assertThat(transport.commandsSentBy("timers")).as("the timer thread sent its hello only")
                    .containsOnly("mbus.hello");
            assertThat(transport.commandsSentBy("user")).hasSize(100).containsOnly("user.step");
            assertThat(transport.sent()).isSorted();
        }
    }

    @Test
    void aSenderFasterThanTheSocketWaitsOnceTheQueueIsFull() throws Exception {
        GatedTransport transport = new GatedTransport();
        try (MbusEntity entity = gatedEntity(transport)) {
            transport.closeGate();
            Thread first = new Thread(() -> entity.send(Address.BROADCAST, Command.of("user.step", 0)), "first");
            first.start();
            transport.awaitSendAtGate();
            int messages = 2 * OrderedWire.MAX_LEFT_TO_WRITER;
            Thread flood = new Thread(() -> {
                for (int i = 1; i <= messages; i++) {
                    entity.send(Address.BROADCAST, Command.of("user.step", i));
                }
            }, "flood");
            flood.start();
            flood.join(TimeUnit.SECONDS.toMillis(2)); // bounds a failure only: the gate holds the first for 10 s

            assertThat(flood.isAlive()).as("the flood waits while the socket is held, its queue full").isTrue();
            transport.openGate();
            first.join();
            flood.join();
            List<Long> numbers = transport.sent();
            assertThat(numbers).hasSizeGreaterThan(messages).isSorted();
        }
    }

    @Test
    void closingWhileAnotherThreadIsInSendtoSaysByeBeforeTheTransportCloses() throws Exception {
        GatedTransport transport = new GatedTransport();
        MbusEntity entity = gatedEntity(transport);
        transport.closeGate();
        Thread first = new Thread(() -> entity.send(Address.BROADCAST, Command.of("user.step", 1)), "first");
        first.start();
        transport.awaitSendAtGate();
        Thread closing = new Thread(entity::close, "closing");
        closing.start();
        closing.join(TimeUnit.SECONDS.toMillis(2)); // bounds a failure only: the gate holds the first for 10 s
        transport.openGate();
        first.join();
        closing.join();

        assertThat(transport.byeSent()).isTrue();
        assertThat(transport.sentAfterClose()).as("datagrams handed to a closed transport").isZero();
    }

    private static MbusEntity gatedEntity(GatedTransport transport) {
        return gatedEntity(transport, new ManualClock());
    }

    private static MbusEntity gatedEntity(GatedTransport transport, ManualClock clock) {
        return MbusEntity.start(EntityConfig.builder().address(Address.parse("(app:order)"))
                .keys(MemoryBus.KEYS).transport(transport).clock(clock).timerThread(false)
                .handlerExecutor(Runnable::run).batching(Batching.OFF).build());
    }

    /** Starts a thread named "timers" that runs the entity's duties; returns once its hello waits at the gate. */
    private static Thread helloHeldAtTheGate(MbusEntity entity, GatedTransport transport, ManualClock clock)
            throws InterruptedException {
        transport.closeGate();
        clock.advance(Duration.ofSeconds(10)); // a hello is due
        Thread timers = new Thread(entity::runTimers, "timers");
        timers.start();
        transport.awaitSendAtGate();
        return timers;
    }

    /**
     * Records the sequence number of every datagram sent; while the gate is closed, the first
     * send waits at it (and is recorded once it passes).
     */
    private static final class GatedTransport implements Transport {

        private final List<Long> sent = new ArrayList<>();
        /** For each datagram sent, the thread that sent it and the first command it carries. */
        private final List<String[]> senders = new ArrayList<>();
        private final CountDownLatch atGate = new CountDownLatch(1);
        private final CountDownLatch gate = new CountDownLatch(1);
        private volatile boolean gateClosed;
        private boolean closed;
        private boolean byeSent;
        private int sentAfterClose;

        void closeGate() {
            gateClosed = true;
        }

        void openGate() {
            gate.countDown();
        }

        void awaitSendAtGate() throws InterruptedException {
            assertThat(atGate.await(10, TimeUnit.SECONDS)).as("a send reached the gate").isTrue();
        }

        synchronized List<Long> sent() {
            return List.copyOf(sent);
        }

        synchronized List<String> commandsSentBy(String thread) {
            return senders.stream().filter(sender -> sender[0].equals(thread)).map(sender -> sender[1]).toList();
        }

        @Override
        public void sendToGroup(byte[] datagram, int offset, int length) {
            if (gateClosed) {
                gateClosed = false;
                atGate.countDown();
                try {
                    gate.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            record(datagram, offset, length);
        }

        @Override
        public void sendTo(InetSocketAddress endpoint, byte[] datagram, int offset, int length) {
            record(datagram, offset, length);
        }

        synchronized boolean byeSent() {
            return byeSent;
        }

        synchronized int sentAfterClose() {
            return sentAfterClose;
        }

        /** The number is the second word of the line after the digest: {@code mbus/1.0 <seq> ...}. */
        private synchronized void record(byte[] datagram, int offset, int length) {
            String text = new String(datagram, offset, length, StandardCharsets.US_ASCII);
            String header = text.substring(text.indexOf('\n') + 1);
            sent.add(Long.parseLong(header.split(" ", 3)[1]));
            String body = header.substring(header.indexOf('\n') + 1).trim();
            senders.add(new String[] {Thread.currentThread().getName(), body.isEmpty() ? "" : body.split("[ (]", 2)[0]});
            byeSent |= text.contains("mbus.bye");
            if (closed) {
                sentAfterClose++;
            }
        }

        @Override
        public void start(DatagramReceiver receiver) {
        }

        @Override
        public InetSocketAddress localEndpoint() {
            return new InetSocketAddress("127.0.0.1", 47000);
        }

        @Override
        public String describe() {
            return "gated";
        }

        @Override
        public synchronized void close() {
            closed = true;
        }
    }
}
