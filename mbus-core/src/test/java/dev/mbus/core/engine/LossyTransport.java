package dev.mbus.core.engine;

import dev.mbus.core.transport.DatagramReceiver;
import dev.mbus.core.transport.Transport;
import java.net.InetSocketAddress;
import java.util.Random;

/** Wraps a real transport and loses a share of what it receives, with a seeded random. */
final class LossyTransport implements Transport {

    private final Transport inner;
    private final double loss;
    private final Random random;
    private volatile long lost;

    LossyTransport(Transport inner, double loss, long seed) {
        this.inner = inner;
        this.loss = loss;
        this.random = new Random(seed);
    }

    long lost() {
        return lost;
    }

    @Override
    public void start(DatagramReceiver receiver) {
        inner.start(new DatagramReceiver() {
            @Override
            public void receive(byte[] buffer, int offset, int length, InetSocketAddress sender) {
                if (random.nextDouble() < loss) {
                    lost++;
                } else {
                    receiver.receive(buffer, offset, length, sender);
                }
            }

            @Override
            public void idle() {
                receiver.idle();
            }
        });
    }

    @Override
    public void sendToGroup(byte[] datagram, int offset, int length) {
        inner.sendToGroup(datagram, offset, length);
    }

    @Override
    public void sendTo(InetSocketAddress endpoint, byte[] datagram, int offset, int length) {
        inner.sendTo(endpoint, datagram, offset, length);
    }

    @Override
    public InetSocketAddress localEndpoint() {
        return inner.localEndpoint();
    }

    @Override
    public String describe() {
        return inner.describe() + ", losing " + (int) (loss * 100) + " % of what it receives";
    }

    @Override
    public void close() {
        inner.close();
    }
}
