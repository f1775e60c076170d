package dev.mbus.sample.bridge;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/** Records as a consumer gets them, from records as a producer sends them. */
final class TestRecords {

    private TestRecords() {
    }

    static ConsumerRecord<String, String> consumed(ProducerRecord<String, String> sent) {
        return consumed(sent, sent.key(), sent.value());
    }

    /** What a consumer gets for {@code sent}, with another key and value. */
    static ConsumerRecord<String, String> consumed(ProducerRecord<String, String> sent, String key, String value) {
        ConsumerRecord<String, String> record = new ConsumerRecord<>(sent.topic(), 0, 0L, key, value);
        for (Header header : sent.headers()) {
            record.headers().add(header.key(), header.value());
        }
        return record;
    }
}
