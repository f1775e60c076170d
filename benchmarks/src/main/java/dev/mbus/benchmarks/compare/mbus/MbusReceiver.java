package dev.mbus.benchmarks.compare.mbus;

import dev.mbus.benchmarks.compare.Counter;
import dev.mbus.benchmarks.FreePorts;
import dev.mbus.benchmarks.compare.Receiver;
import dev.mbus.core.engine.Batching;
import dev.mbus.core.engine.MbusEntity;
import java.util.List;

/** An entity that counts the benchmark's commands in a handler; its acknowledgements are the answers. */
public final class MbusReceiver implements Receiver {

    private final Batching batching;
    private MbusEntity entity;

    public MbusReceiver(Batching batching) {
        this.batching = batching;
    }

    @Override
    public List<String> start(Counter counter) {
        int port = FreePorts.udp();
        entity = MbusBus.start(MbusBus.RECEIVER, port, batching);
        entity.subscribe(MbusBus.COMMAND, in -> counter.hit());
        return List.of(String.valueOf(port));
    }

    @Override
    public void close() {
        if (entity != null) {
            entity.close();
        }
    }
}
