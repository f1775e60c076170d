package dev.mbus.benchmarks.compare.mbus;

import dev.mbus.benchmarks.compare.Latency;
import dev.mbus.benchmarks.compare.Payload;
import dev.mbus.benchmarks.compare.Sender;
import dev.mbus.core.engine.Batching;
import dev.mbus.core.engine.MbusEntity;
import dev.mbus.core.message.Command;
import dev.mbus.core.message.StringValue;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One command per call carrying the {@value Payload#BYTES}-byte payload as a string;
 * {@link MbusEntity#send} unreliable, else {@link MbusEntity#sendReliable} with the time to
 * each acknowledgement.
 */
public final class MbusSender implements Sender {

    private static final Duration FIND_RECEIVER = Duration.ofSeconds(30);
    private static final Command COMMAND = new Command(MbusBus.COMMAND, List.of(new StringValue("x".repeat(Payload.BYTES))));

    private final Batching batching;
    private final boolean reliable;
    private MbusEntity entity;
    private Latency latency;

    public MbusSender(Batching batching, boolean reliable) {
        this.batching = batching;
        this.reliable = reliable;
    }

    @Override
    public void connect(List<String> receiver, Latency latency) throws Exception {
        this.latency = latency;
        entity = MbusBus.start(MbusBus.SENDER, Integer.parseInt(receiver.get(0)), batching);
        entity.awaitPeer(MbusBus.RECEIVER, FIND_RECEIVER).get(FIND_RECEIVER.plusSeconds(1).toSeconds(), TimeUnit.SECONDS);
    }

    @Override
    public void send(long index) {
        if (!reliable) {
            entity.send(MbusBus.RECEIVER, COMMAND);
            return;
        }
        long sentAt = System.nanoTime();
        entity.sendReliable(MbusBus.RECEIVER, COMMAND).whenComplete((ok, error) -> {
            if (error == null) {
                latency.answered(sentAt);
            } else {
                latency.failed();
            }
        });
    }

    @Override
    public boolean answersEach() {
        return reliable;
    }

    @Override
    public void close() {
        if (entity != null) {
            entity.close();
        }
    }
}
