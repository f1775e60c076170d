package dev.mbus.core.engine;

import dev.mbus.core.message.Address;
import dev.mbus.core.security.CipherAlgorithm;
import dev.mbus.core.security.HashAlgorithm;
import dev.mbus.core.security.MbusKeys;
import dev.mbus.core.transport.MemoryNetwork;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;

/**
 * Entities on a {@link MemoryNetwork} with a {@link ManualClock}: everything runs on the test's
 * thread, so loss, retransmissions and timeouts are repeatable to the nanosecond.
 */
final class MemoryBus implements AutoCloseable {

    static final MbusKeys KEYS = new MbusKeys(HashAlgorithm.HMAC_MD5_96,
            "MbusTestHash".getBytes(StandardCharsets.US_ASCII), CipherAlgorithm.NOENCR, null);
    static final Duration TICK = Duration.ofMillis(5);

    final MemoryNetwork network;
    final ManualClock clock = new ManualClock();
    final List<MbusEntity> entities = new ArrayList<>();
    private final Map<MbusEntity, MemoryNetwork.MemoryTransport> transports = new HashMap<>();
    private final Random random;

    MemoryBus(long seed) {
        this.network = new MemoryNetwork(seed);
        this.random = new Random(seed);
    }

    MbusEntity join(String address) {
        return join(address, builder -> builder);
    }

    MbusEntity join(String address, UnaryOperator<EntityConfig.Builder> customize) {
        MemoryNetwork.MemoryTransport transport = network.newTransport();
        EntityConfig.Builder builder = EntityConfig.builder()
                .address(Address.parse(address))
                .keys(KEYS)
                .transport(transport)
                .clock(clock)
                .random(new Random(random.nextLong()))
                .timerThread(false)
                .handlerExecutor(Runnable::run);
        MbusEntity entity = MbusEntity.start(customize.apply(builder).build());
        entities.add(entity);
        transports.put(entity, transport);
        return entity;
    }

    MemoryNetwork.MemoryTransport transportOf(MbusEntity entity) {
        return transports.get(entity);
    }

    /** The first arguments of every {@code command} the entity handles, as integers, in handling order. */
    static List<Long> firstArguments(MbusEntity entity, String command) {
        List<Long> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        entity.subscribe(command, in -> seen.add(in.arg(0).asLong()));
        return seen;
    }

    /** Every datagram {@code entity} sends from now on, in sending order. */
    List<MemoryNetwork.Packet> tapFrom(MbusEntity entity) {
        List<MemoryNetwork.Packet> sent = java.util.Collections.synchronizedList(new ArrayList<>());
        network.tap(packet -> {
            if (packet.from().equals(entity.localEndpoint())) {
                sent.add(packet);
            }
        });
        return sent;
    }

    /** Sends what waits in batches, delivers everything queued and what that causes, without moving the clock. */
    void deliver() {
        for (MbusEntity entity : entities) {
            if (entity.isRunning()) {
                entity.flush();
            }
        }
        network.deliverAll();
    }

    /** Lets {@code duration} pass in ticks: each tick runs every entity's timers and delivers. */
    void run(Duration duration) {
        for (long waited = 0; waited < duration.toNanos(); waited += TICK.toNanos()) {
            clock.advance(TICK);
            for (MbusEntity entity : List.copyOf(entities)) {
                entity.runTimers();
            }
            network.deliverAll();
        }
    }

    @Override
    public void close() {
        entities.forEach(MbusEntity::close);
    }
}
