package dev.mbus.sample.bridge;

import static dev.mbus.sample.bridge.TestRecords.consumed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mbus.core.engine.IncomingCommand;
import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import dev.mbus.core.message.Message;
import dev.mbus.sample.bridge.BridgeMeters.Direction;
import dev.mbus.sample.bridge.BridgeMeters.Reason;
import dev.mbus.spring.support.MbusHeaders;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** What each side of the bridge lets through, and what it counts as dropped. */
class BridgeGatesTests {

    private static final Address PLAYER = Address.parse("(app:sample-player)");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final BridgeMeters meters = new BridgeMeters(registry);
    private final BridgeRecordCodec codec = new BridgeRecordCodec();
    private final MbusToKafka toKafka = new MbusToKafka("a", "topic", codec, meters);
    private final KafkaToMbus fromKafka = new KafkaToMbus("b", codec, new RecentIds(100), meters);

    @Test
    void aCommandOfThisBusBecomesARecordOfThisOriginWithAFreshId() {
        ProducerRecord<String, String> first = toKafka.toRecord(incoming("(app:ui id:1)", true, Command.of("player.play")));
        ProducerRecord<String, String> second = toKafka.toRecord(incoming("(app:ui id:1)", true, Command.of("player.play")));

        BridgedCommand bridged = codec.decode(consumed(first));
        assertThat(bridged.origin()).isEqualTo("a");
        assertThat(bridged.source()).isEqualTo(Address.parse("(app:ui id:1)"));
        assertThat(bridged.destination()).isEqualTo(PLAYER);
        assertThat(bridged.reliable()).isTrue();
        assertThat(codec.decode(consumed(second)).messageId()).isNotEqualTo(bridged.messageId());
    }

    @Test
    void whatABridgeInjectedAndAwarenessStayOnTheBus() {
        assertThat(toKafka.toRecord(incoming("(app:sample-controller bridge:c id:2)", false, Command.of("player.play"))))
                .isNull();
        assertThat(toKafka.toRecord(incoming("(app:ui id:1)", false, Command.of("mbus.hello")))).isNull();

        assertThat(meters.droppedCount(Direction.TO_KAFKA, Reason.LOOP)).isEqualTo(1);
        assertThat(meters.droppedCount(Direction.TO_KAFKA, Reason.AWARENESS)).isEqualTo(1);
        assertThat(registry.get("bridge.dropped").tag("direction", "to-kafka").tag("reason", "loop").counter().count())
                .isEqualTo(1);
    }

    @Test
    void aRecordOfAnotherBridgeBecomesTheCommandWithItsDestinationAndReliability() {
        org.springframework.messaging.Message<Command> message = fromKafka.admit(consumed(record("a", "1",
                Command.of("player.volume", 42), true)));

        assertThat(message.getPayload()).isEqualTo(Command.of("player.volume", 42));
        assertThat(message.getHeaders()).containsEntry(MbusHeaders.DESTINATION, PLAYER)
                .containsEntry(MbusHeaders.RELIABLE, true);
    }

    @Test
    void ownRecordsAwarenessAndMalformedRecordsAreSkippedAndCounted() {
        assertThat(fromKafka.admit(consumed(record("b", "1", Command.of("player.play"), false)))).isNull();
        assertThat(fromKafka.admit(consumed(record("a", "2", Command.of("mbus.quit"), false)))).isNull();
        ConsumerRecord<String, String> malformed = consumed(record("a", "3", Command.of("player.play"), false));
        malformed.headers().remove(BridgeRecordCodec.ORIGIN);
        assertThat(fromKafka.admit(malformed)).isNull();

        assertThat(meters.droppedCount(Direction.FROM_KAFKA, Reason.LOOP)).isEqualTo(1);
        assertThat(meters.droppedCount(Direction.FROM_KAFKA, Reason.AWARENESS)).isEqualTo(1);
        assertThat(meters.droppedCount(Direction.FROM_KAFKA, Reason.MALFORMED)).isEqualTo(1);
    }

    @Test
    void aCopyIsADuplicateOnlyOnceTheFirstWasSent() {
        ConsumerRecord<String, String> record = consumed(record("a", "1", Command.of("player.play"), true));
        org.springframework.messaging.Message<Command> first = fromKafka.admit(record);
        // Not sent yet (a failed send is retried): the same record again is let through.
        assertThat(fromKafka.admit(record)).isNotNull();

        fromKafka.sent(first);

        assertThat(fromKafka.admit(record)).isNull();
        assertThat(meters.droppedCount(Direction.FROM_KAFKA, Reason.DUPLICATE)).isEqualTo(1);
        assertThat(meters.forwardedCount(Direction.FROM_KAFKA)).isEqualTo(1);
    }

    private static IncomingCommand incoming(String source, boolean reliable, Command command) {
        return new IncomingCommand(command, new Message(1, 0, reliable, Address.parse(source), PLAYER, List.of(),
                List.of(command)), null);
    }

    private ProducerRecord<String, String> record(String origin, String id, Command command, boolean reliable) {
        return codec.encode("topic", new BridgedCommand(origin, id, Address.parse("(app:ui id:9)"), PLAYER, reliable,
                command));
    }
}
