package dev.mbus.sample.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mbus.core.engine.IncomingCommand;
import dev.mbus.core.engine.MbusEntity;
import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import dev.mbus.sample.MbusText;
import dev.mbus.sample.bridge.BridgeMeters.Direction;
import dev.mbus.sample.bridge.BridgeMeters.Reason;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.integration.kafka.inbound.KafkaMessageDrivenChannelAdapter;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.kafka.test.utils.KafkaTestUtils;

/**
 * The bridge between two buses through an embedded broker ({@link BridgedBuses}): a controller
 * on bus A drives the player on bus B.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BridgeEndToEndTests {

    private static final String TOPIC = BridgedBuses.TOPIC;
    private static final Duration WAIT = BridgedBuses.WAIT;
    private static final Address PLAYER = BridgedBuses.PLAYER;

    private BridgedBuses buses;
    private EmbeddedKafkaKraftBroker kafka;
    private ConfigurableApplicationContext bridgeA;
    private ConfigurableApplicationContext bridgeB;
    private MbusEntity controller;
    private final List<IncomingCommand> heardByController = new CopyOnWriteArrayList<>();
    private final List<IncomingCommand> heardByPlayer = new CopyOnWriteArrayList<>();

    @BeforeAll
    void start() throws Exception {
        buses = BridgedBuses.start();
        kafka = buses.kafka;
        bridgeA = buses.bridgeA;
        bridgeB = buses.bridgeB;
        controller = buses.controller;
        controller.subscribe("*", heardByController::add);
        buses.player.subscribe("*", heardByPlayer::add);
    }

    @AfterAll
    void stop() throws Exception {
        if (buses != null) {
            buses.close();
        }
    }

    @Test
    void aReliableCommandIsHandledOnceOnTheOtherBusAndNothingComesBack() throws Exception {
        controller.sendReliable(PLAYER, Command.of("player.volume", 42)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        controller.send(Address.BROADCAST, Command.of("player.hint", "an event"));
        // mbus.* concerns bus A only; bridge a acknowledges it, as the stand-in of the player.
        controller.sendReliable(PLAYER, Command.of("mbus.waiting", "token")).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        // A last command after them, for the ordering: once it is there, the others had their chance.
        controller.sendReliable(PLAYER, Command.of("player.play")).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        await().atMost(WAIT).untilAsserted(() -> assertThat(names(heardByPlayer)).contains("player.play"));
        assertThat(commands(heardByPlayer, "player.volume", "player.hint", "player.play")).containsExactly(
                "player.volume (42)", "player.hint (\"an event\")", "player.play ()");
        IncomingCommand volume = heardByPlayer.stream().filter(c -> c.name().equals("player.volume")).findFirst().get();
        assertThat(volume.message().reliable()).isTrue();
        assertThat(volume.source().get("bridge")).as("sent by bridge b").isEqualTo("b");
        IncomingCommand hint = heardByPlayer.stream().filter(c -> c.name().equals("player.hint")).findFirst().get();
        assertThat(hint.message().reliable()).isFalse();
        assertThat(hint.message().destination()).isEqualTo(Address.BROADCAST);
        assertThat(names(heardByPlayer)).doesNotContain("mbus.waiting");

        BridgeMeters a = bridgeA.getBean(BridgeMeters.class);
        BridgeMeters b = bridgeB.getBean(BridgeMeters.class);
        await().atMost(WAIT).untilAsserted(() -> assertThat(a.droppedCount(Direction.FROM_KAFKA, Reason.LOOP))
                .as("bridge a read its own records back, and skipped them").isGreaterThanOrEqualTo(3));
        assertThat(a.droppedCount(Direction.TO_KAFKA, Reason.AWARENESS)).isGreaterThanOrEqualTo(1);
        assertThat(a.forwardedCount(Direction.FROM_KAFKA)).as("nothing came back to bus A").isZero();
        // What a user sees in /actuator/metrics and /actuator/health.
        assertThat(bridgeA.getBean(MeterRegistry.class).get("bridge.forwarded").tag("direction", "to-kafka").counter()
                .count()).isGreaterThanOrEqualTo(3);
        assertThat(bridgeA.getBean(HealthContributorRegistry.class).getContributor("bridge"))
                .isInstanceOf(BridgeHealthIndicator.class);
        assertThat(b.forwardedCount(Direction.TO_KAFKA)).as("bridge b forwarded nothing it injected").isZero();
        assertThat(names(heardByController)).noneMatch(name -> name.startsWith("player."));
        assertThat(topicValues()).noneMatch(value -> value.startsWith("mbus."));
    }

    @Test
    void aSecondCopyOfARecordIsSentOnce() throws Exception {
        controller.sendReliable(PLAYER, Command.of("player.seek", 1.5)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        await().atMost(WAIT).untilAsserted(() -> assertThat(commands(heardByPlayer, "player.seek")).hasSize(1));
        BridgeMeters b = bridgeB.getBean(BridgeMeters.class);
        double duplicates = b.droppedCount(Direction.FROM_KAFKA, Reason.DUPLICATE);

        // What Kafka does after a consumer lost its partition before committing: the same record again.
        ConsumerRecord<String, String> seek = topicRecords().stream()
                .filter(record -> record.value().startsWith("player.seek")).findFirst().orElseThrow();
        try (KafkaProducer<String, String> producer = producer()) {
            producer.send(new ProducerRecord<>(TOPIC, null, seek.key(), seek.value(), seek.headers()))
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }

        await().atMost(WAIT).untilAsserted(() -> assertThat(b.droppedCount(Direction.FROM_KAFKA, Reason.DUPLICATE))
                .isEqualTo(duplicates + 1));
        assertThat(commands(heardByPlayer, "player.seek")).containsExactly("player.seek (1.5)");
    }

    @Test
    void aRecordThatCannotBeSentIsDroppedAfterItsRetriesAndTheNextOnesGoOn() throws Exception {
        BridgeMeters b = bridgeB.getBean(BridgeMeters.class);
        double failed = b.droppedCount(Direction.FROM_KAFKA, Reason.FAILED);
        // From a third bridge, reliable, to an entity that is on no bus.
        ProducerRecord<String, String> lost = new BridgeRecordCodec().encode(TOPIC, new BridgedCommand("c", "lost-1",
                Address.parse("(app:elsewhere)"), Address.parse("(app:nobody)"), true, Command.of("player.stop")));
        try (KafkaProducer<String, String> producer = producer()) {
            producer.send(lost).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        controller.sendReliable(PLAYER, Command.of("player.next")).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        await().atMost(WAIT).untilAsserted(() -> assertThat(commands(heardByPlayer, "player.next"))
                .containsExactly("player.next ()"));
        assertThat(b.droppedCount(Direction.FROM_KAFKA, Reason.FAILED)).isEqualTo(failed + 1);
        assertThat(names(heardByPlayer)).doesNotContain("player.stop");
    }

    @Test
    void whatKafkaAcknowledgedSurvivesABrokerRestart() throws Exception {
        BridgeMeters a = bridgeA.getBean(BridgeMeters.class);
        KafkaMessageDrivenChannelAdapter<?, ?> consumerB = bridgeB.getBean(KafkaMessageDrivenChannelAdapter.class);
        double forwarded = a.forwardedCount(Direction.TO_KAFKA);
        // Bridge b is not reading: what bridge a publishes waits in the broker only.
        consumerB.stop();
        for (int i = 1; i <= 5; i++) {
            controller.sendReliable(PLAYER, Command.of("player.track", i)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        await().atMost(WAIT).untilAsserted(() -> assertThat(a.forwardedCount(Direction.TO_KAFKA))
                .as("acknowledged by Kafka").isEqualTo(forwarded + 5));

        Map<Integer, BrokerServer> brokers = kafka.getCluster().brokers();
        brokers.values().forEach(BrokerServer::shutdown);
        assertThat(bridgeA.getBean(BridgeHealthIndicator.class).health(true).getStatus()).isEqualTo(Status.DOWN);
        // Sent while the broker is down: acknowledged on bus A, held by bridge a's producer.
        controller.sendReliable(PLAYER, Command.of("player.track", 6)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        brokers.values().forEach(BrokerServer::startup);
        consumerB.start();

        await().atMost(WAIT).untilAsserted(() -> assertThat(commands(heardByPlayer, "player.track")).containsExactly(
                "player.track (1)", "player.track (2)", "player.track (3)", "player.track (4)", "player.track (5)",
                "player.track (6)"));
        Health health = bridgeB.getBean(BridgeHealthIndicator.class).health(true);
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        await().atMost(WAIT).untilAsserted(() -> assertThat(
                bridgeB.getBean(BridgeHealthIndicator.class).health(true).getDetails()).containsEntry("consumerLag", 0L));
    }

    private static List<String> names(List<IncomingCommand> heard) {
        return heard.stream().map(IncomingCommand::name).toList();
    }

    /** The commands of these names, in Mbus text, in the order heard. */
    private static List<String> commands(List<IncomingCommand> heard, String... names) {
        List<String> wanted = List.of(names);
        return heard.stream().filter(c -> wanted.contains(c.name())).map(c -> MbusText.of(c.command())).toList();
    }

    private List<String> topicValues() {
        return topicRecords().stream().map(ConsumerRecord::value).toList();
    }

    /** Every record of the topic so far, read by a consumer group of the test's. */
    private List<ConsumerRecord<String, String>> topicRecords() {
        Map<String, Object> config = KafkaTestUtils.consumerProps(kafka, "test-reader-" + System.nanoTime(), false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (Consumer<String, String> consumer = new DefaultKafkaConsumerFactory<>(config, new StringDeserializer(),
                new StringDeserializer()).createConsumer()) {
            kafka.consumeFromAnEmbeddedTopic(consumer, TOPIC);
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            KafkaTestUtils.getRecords(consumer, Duration.ofSeconds(5)).records(TOPIC).forEach(records::add);
            return records;
        }
    }

    private KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBrokersAsString()),
                new StringSerializer(), new StringSerializer());
    }
}
