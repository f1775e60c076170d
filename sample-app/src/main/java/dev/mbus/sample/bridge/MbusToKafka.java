package dev.mbus.sample.bridge;

import dev.mbus.core.engine.IncomingCommand;
import dev.mbus.sample.bridge.BridgeMeters.Direction;
import dev.mbus.sample.bridge.BridgeMeters.Reason;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * What goes from this bus to the topic: every command the bridge's adapter receives, except the
 * {@code mbus.*} ones and those a bridge sent, whose source carries a {@code bridge:} element
 * (this bridge never hears itself, but another bridge on the same bus would hear it, and forward
 * back what it just injected).
 */
public final class MbusToKafka {

    /** The attribute of a bridge's address: the mark of what a bridge injected. */
    public static final String BRIDGE_ATTRIBUTE = "bridge";

    private final String bridgeId;
    private final String topic;
    private final BridgeRecordCodec codec;
    private final BridgeMeters meters;

    public MbusToKafka(String bridgeId, String topic, BridgeRecordCodec codec, BridgeMeters meters) {
        this.bridgeId = bridgeId;
        this.topic = topic;
        this.codec = codec;
        this.meters = meters;
    }

    /** The record for {@code incoming}, or null when it stays on this bus (counted). */
    public ProducerRecord<String, String> toRecord(IncomingCommand incoming) {
        if (incoming.name().startsWith("mbus.")) {
            meters.dropped(Direction.TO_KAFKA, Reason.AWARENESS);
            return null;
        }
        if (incoming.source().get(BRIDGE_ATTRIBUTE) != null) {
            meters.dropped(Direction.TO_KAFKA, Reason.LOOP);
            return null;
        }
        return codec.encode(topic, new BridgedCommand(bridgeId, UUID.randomUUID().toString(), incoming.source(),
                incoming.message().destination(), incoming.message().reliable(), incoming.command()));
    }
}
