package dev.mbus.sample.bridge;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the Mbus-Kafka bridge (profile {@code bridge}); Kafka itself is set with Boot's
 * {@code spring.kafka.*}.
 *
 * @param id         This bridge's id, unique among the bridges of the topic and the same across restarts: the
 *                   origin of the records it publishes (it skips those it reads back) and its consumer group.
 *                   Its entity's address must carry {@code bridge:<id>}.
 * @param topic      The Kafka topic the bridges of all buses publish to and read from.
 * @param partitions Partitions of the topic when the bridge creates it; commands of one source keep their order.
 * @param commands   Which commands seen on this bus go to the topic: names or prefix patterns ({@code player.*}),
 *                   {@code *} for all. {@code mbus.*} never goes.
 * @param dedup      The memory of recently sent commands that suppresses second copies of a record.
 * @param retry      What the bridge does when a command from the topic cannot be sent on this bus.
 * @param health     The health check.
 */
@ConfigurationProperties("bridge")
public record BridgeProperties(String id, @DefaultValue("mbus-bridge") String topic,
        @DefaultValue("1") int partitions, @DefaultValue("*") List<String> commands, @DefaultValue Dedup dedup,
        @DefaultValue Retry retry, @DefaultValue Health health) {

    /**
     * De-duplication.
     *
     * @param capacity How many message ids of commands sent on this bus are remembered; a second copy of a record
     *                 arriving more than that many commands after the first is sent again.
     */
    public record Dedup(@DefaultValue("10000") int capacity) {
    }

    /**
     * Retries of a send on this bus (destination unknown, no acknowledgement).
     *
     * @param attempts How many times more a record is tried before it is dropped (counted as failed).
     * @param interval How long the bridge waits between two tries; the partition's next records wait too.
     */
    public record Retry(@DefaultValue("3") int attempts, @DefaultValue("1s") Duration interval) {
    }

    /**
     * The health indicator.
     *
     * @param timeout How long the check waits for Kafka before it reports DOWN.
     */
    public record Health(@DefaultValue("3s") Duration timeout) {
    }
}
