package dev.mbus.sample.bridge;

import dev.mbus.core.engine.IncomingCommand;
import dev.mbus.core.message.Address;
import dev.mbus.sample.LogText;
import dev.mbus.sample.bridge.BridgeMeters.Direction;
import dev.mbus.sample.bridge.BridgeMeters.Reason;
import dev.mbus.spring.boot.autoconfigure.MbusProperties;
import dev.mbus.spring.core.MbusEngine;
import dev.mbus.spring.core.MbusOperations;
import dev.mbus.spring.integration.Mbus;
import dev.mbus.spring.support.MbusHeaders;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.integration.dsl.IntegrationFlow;
import org.springframework.integration.kafka.dsl.Kafka;
import org.springframework.integration.kafka.support.KafkaSendFailureException;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.kafka.support.converter.MessagingMessageConverter;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.MessageHeaders;
import org.springframework.util.StringUtils;
import org.springframework.util.backoff.FixedBackOff;

/**
 * The Mbus-Kafka bridge: two flows between this bus and one Kafka topic shared by the bridges of
 * all buses. Only in the profile {@code bridge}; Kafka is set with {@code spring.kafka.*}.
 *
 * <p>To the topic: the commands ({@code bridge.commands}) the bridge's entity receives, that is
 * those addressed to an address its own matches. The bridge's address carries the elements of
 * the remote entities it stands for, {@code (app:sample-player bridge:a)}: on this bus it is
 * their stand-in, so it receives, and acknowledges, what is sent to them. Sent asynchronously;
 * {@code bridge.forwarded} counts what Kafka acknowledged.
 *
 * <p>From the topic: each record of another bridge is sent on this bus, reliably if it was
 * reliable, by the bridge's entity; the offset is committed only after the send returned
 * (acknowledged, for a reliable command). A send that fails is retried
 * ({@code bridge.retry.*}), then dropped and counted.
 */
@Configuration(proxyBeanMethods = false)
@Profile("bridge")
@EnableConfigurationProperties(BridgeProperties.class)
public class BridgeConfiguration {

    private static final Logger log = LoggerFactory.getLogger(BridgeConfiguration.class);

    @Bean
    BridgeMeters bridgeMeters(MeterRegistry registry) {
        return new BridgeMeters(registry);
    }

    @Bean
    BridgeRecordCodec bridgeRecordCodec() {
        return new BridgeRecordCodec();
    }

    @Bean
    MbusToKafka mbusToKafka(BridgeProperties bridge, MbusProperties mbus, BridgeRecordCodec codec,
            BridgeMeters meters) {
        return new MbusToKafka(checkedId(bridge, mbus), bridge.topic(), codec, meters);
    }

    @Bean
    KafkaToMbus kafkaToMbus(BridgeProperties bridge, MbusProperties mbus, BridgeRecordCodec codec,
            BridgeMeters meters) {
        return new KafkaToMbus(checkedId(bridge, mbus), codec, new RecentIds(bridge.dedup().capacity()), meters);
    }

    /** Created by Boot's KafkaAdmin at start when missing (and when the broker is there). */
    @Bean
    NewTopic bridgeTopic(BridgeProperties bridge) {
        return TopicBuilder.name(bridge.topic()).partitions(bridge.partitions()).build();
    }

    @Bean
    IntegrationFlow mbusToKafkaFlow(MbusEngine engine, BridgeProperties bridge, MbusToKafka toKafka,
            KafkaTemplate<String, String> kafka, BridgeMeters meters) {
        MessageChannel sent = (message, timeout) -> {
            meters.forwarded(Direction.TO_KAFKA);
            return true;
        };
        MessageChannel failed = (message, timeout) -> {
            meters.dropped(Direction.TO_KAFKA, Reason.FAILED);
            Throwable error = (Throwable) message.getPayload();
            Message<?> original = error instanceof KafkaSendFailureException failure ? failure.getFailedMessage() : null;
            log.warn("Kafka did not take {}: {}", original == null ? "a command" : describe(original), error.toString());
            return true;
        };
        return IntegrationFlow
                // mbus.* included, to be counted as dropped rather than never seen.
                .from(Mbus.inboundAdapter(engine).commands(bridge.commands().toArray(String[]::new))
                        .includeAwareness(true))
                .handle((payload, headers) -> toKafka.toRecord(incoming(headers)))
                .handle(Kafka.outboundChannelAdapter(kafka).sendSuccessChannel(sent).sendFailureChannel(failed))
                .get();
    }

    @Bean
    IntegrationFlow kafkaToMbusFlow(ConsumerFactory<String, String> consumers, BridgeProperties bridge,
            KafkaToMbus fromKafka, MbusOperations template, BridgeMeters meters) {
        DefaultErrorHandler afterRetries = new DefaultErrorHandler((record, error) -> {
            meters.dropped(Direction.FROM_KAFKA, Reason.FAILED);
            log.warn("Dropped record {}-{}@{} after {} tries: {}", record.topic(), record.partition(), record.offset(),
                    bridge.retry().attempts() + 1, LogText.of(String.valueOf(rootCause(error).getMessage())));
        }, new FixedBackOff(bridge.retry().interval().toMillis(), bridge.retry().attempts()));
        MessagingMessageConverter rawRecords = new MessagingMessageConverter();
        rawRecords.setRawRecordHeader(true); // the codec reads the record itself: key, value and headers
        return IntegrationFlow
                .from(Kafka.messageDrivenChannelAdapter(consumers, bridge.topic())
                        .configureListenerContainer(container -> container.groupId(bridge.id())
                                .errorHandler(afterRetries))
                        .recordMessageConverter(rawRecords))
                .handle((payload, headers) -> fromKafka.admit(record(headers)))
                // Waits for the acknowledgement of a reliable send: the offset is committed after.
                .handle(Mbus.outboundAdapter(template).async(false), endpoint -> endpoint.advice(fromKafka.rememberWhenSent()))
                .get();
    }

    @Bean
    BridgeHealthIndicator bridgeHealthIndicator(KafkaAdmin kafkaAdmin, BridgeProperties bridge) {
        return new BridgeHealthIndicator(Admin.create(kafkaAdmin.getConfigurationProperties()), bridge.topic(),
                bridge.id(), bridge.health().timeout());
    }

    /**
     * The bridge's id, required, and in its entity's address: commands whose source carries a
     * {@code bridge:} element are never forwarded, so what a bridge injects cannot come back.
     */
    private static String checkedId(BridgeProperties bridge, MbusProperties mbus) {
        if (!StringUtils.hasText(bridge.id())) {
            throw new IllegalStateException("Set bridge.id: the id of this bridge, unique among the bridges of topic "
                    + bridge.topic() + " and the same across restarts");
        }
        String element = MbusToKafka.BRIDGE_ATTRIBUTE + ":" + bridge.id();
        String address = mbus.entity().address();
        if (address == null || !Address.parse(address).contains(element)) {
            throw new IllegalStateException("Set mbus.entity.address to an address with " + element
                    + " and the elements of the remote entities this bridge stands for, e.g. (app:sample-player "
                    + element + "), not " + address);
        }
        return bridge.id();
    }

    private static IncomingCommand incoming(MessageHeaders headers) {
        return headers.get(MbusHeaders.INCOMING_COMMAND, IncomingCommand.class);
    }

    @SuppressWarnings("unchecked")
    private static ConsumerRecord<String, String> record(MessageHeaders headers) {
        return headers.get(KafkaHeaders.RAW_DATA, ConsumerRecord.class);
    }

    private static String describe(Message<?> message) {
        return message.getPayload() instanceof ProducerRecord<?, ?> record
                ? LogText.of(record.value()) + " from " + LogText.of(record.key()) : "a command";
    }

    private static Throwable rootCause(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }
}
