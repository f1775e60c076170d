package dev.mbus.sample.bridge;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of the bridge's Kafka side: UP when the cluster answers within the timeout, DOWN when
 * not. Details: the brokers, the topic, the bridge's consumer group and its lag, the records
 * published but not yet sent on this bus (committed), summed over the topic's partitions;
 * {@code consumerLag} is absent until the group has committed offsets. It owns its admin client.
 */
public class BridgeHealthIndicator extends AbstractHealthIndicator implements DisposableBean {

    private final Admin admin;
    private final String topic;
    private final String group;
    private final Duration timeout;

    public BridgeHealthIndicator(Admin admin, String topic, String group, Duration timeout) {
        super("Bridge health check failed");
        this.admin = admin;
        this.topic = topic;
        this.group = group;
        this.timeout = timeout;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) throws Exception {
        int brokers = admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).size();
        builder.up().withDetail("brokers", brokers).withDetail("topic", topic).withDetail("consumerGroup", group);
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .entrySet().stream()
                .filter(entry -> entry.getKey().topic().equals(topic) && entry.getValue() != null)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        if (committed.isEmpty()) {
            return;
        }
        Map<TopicPartition, ListOffsetsResultInfo> ends = admin.listOffsets(committed.keySet().stream()
                .collect(Collectors.toMap(partition -> partition, partition -> OffsetSpec.latest())))
                .all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        long lag = 0;
        for (Map.Entry<TopicPartition, OffsetAndMetadata> entry : committed.entrySet()) {
            lag += Math.max(0, ends.get(entry.getKey()).offset() - entry.getValue().offset());
        }
        builder.withDetail("partitions", committed.size()).withDetail("consumerLag", lag);
    }

    /** Bounded: {@code Admin.close()} would wait for pending requests as long as they take, Kafka down or not. */
    @Override
    public void destroy() {
        admin.close(timeout);
    }
}
