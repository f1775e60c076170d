package dev.mbus.sample.bridge;

import dev.mbus.core.message.Command;
import dev.mbus.sample.LogText;
import dev.mbus.sample.bridge.BridgeMeters.Direction;
import dev.mbus.sample.bridge.BridgeMeters.Reason;
import dev.mbus.spring.support.MbusHeaders;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.integration.handler.advice.AbstractRequestHandlerAdvice;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

/**
 * What comes from the topic onto this bus: every record another bridge published, once. Skipped
 * (and counted): records of this bridge's own origin, {@code mbus.*} commands, second copies of
 * a record already sent, and records that do not hold a bridged command.
 */
public final class KafkaToMbus {

    /** Headers of the message sent on, for {@link #rememberWhenSent()}. */
    static final String ORIGIN = "bridge_origin";
    static final String MESSAGE_ID = "bridge_messageId";

    private static final Logger log = LoggerFactory.getLogger(KafkaToMbus.class);

    private final String bridgeId;
    private final BridgeRecordCodec codec;
    private final RecentIds recent;
    private final BridgeMeters meters;

    public KafkaToMbus(String bridgeId, BridgeRecordCodec codec, RecentIds recent, BridgeMeters meters) {
        this.bridgeId = bridgeId;
        this.codec = codec;
        this.recent = recent;
        this.meters = meters;
    }

    /**
     * The command to send on this bus, with its destination and reliability in the
     * {@link MbusHeaders}, or null when the record is skipped.
     */
    public Message<Command> admit(ConsumerRecord<String, String> record) {
        BridgedCommand bridged;
        try {
            bridged = codec.decode(record);
        } catch (MalformedRecordException e) {
            meters.dropped(Direction.FROM_KAFKA, Reason.MALFORMED);
            log.warn("Skipped record {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                    LogText.of(e.getMessage()));
            return null;
        }
        Reason skipped = bridged.origin().equals(bridgeId) ? Reason.LOOP
                : bridged.isAwareness() ? Reason.AWARENESS
                : recent.contains(bridged.origin(), bridged.messageId()) ? Reason.DUPLICATE
                : null;
        if (skipped != null) {
            meters.dropped(Direction.FROM_KAFKA, skipped);
            return null;
        }
        return MessageBuilder.withPayload(bridged.command())
                .setHeader(MbusHeaders.DESTINATION, bridged.destination())
                .setHeader(MbusHeaders.RELIABLE, bridged.reliable())
                .setHeader(ORIGIN, bridged.origin())
                .setHeader(MESSAGE_ID, bridged.messageId())
                .build();
    }

    /**
     * Advice of the Mbus send: once it is done (acknowledged, when reliable), {@link #sent}. A
     * send that fails is not remembered: its retry is no duplicate.
     */
    public AbstractRequestHandlerAdvice rememberWhenSent() {
        return new AbstractRequestHandlerAdvice() {
            @Override
            protected Object doInvoke(ExecutionCallback callback, Object target, Message<?> message) {
                Object result = callback.execute();
                sent(message);
                return result;
            }
        };
    }

    /** {@code message}, from {@link #admit}, was sent on this bus: its id is remembered and it is counted. */
    void sent(Message<?> message) {
        recent.remember(message.getHeaders().get(ORIGIN, String.class), message.getHeaders().get(MESSAGE_ID, String.class));
        meters.forwarded(Direction.FROM_KAFKA);
    }
}
