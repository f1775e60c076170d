package dev.mbus.sample.bridge;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.mbus.core.codec.MalformedMessageException;
import dev.mbus.core.codec.MessageCodec;
import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import dev.mbus.sample.MbusText;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A {@link BridgedCommand} as a Kafka record: the key is the source address and the value the
 * command, both in Mbus text ({@code (app:ui id:1-2@host)}, {@code player.load (("So What" 562.0))});
 * the rest travels in headers of UTF-8 text. Mbus text written by mbus-core reads back as the
 * same command, so nothing is lost, and any Kafka tool shows what was said.
 */
public final class BridgeRecordCodec {

    /** The id of the bridge that put the record on the topic. */
    public static final String ORIGIN = "mbus-bridge-origin";
    /** Unique per origin: a second copy of the record has the same. */
    public static final String MESSAGE_ID = "mbus-bridge-message-id";
    /** The address the command was sent to on the origin's bus. */
    public static final String DESTINATION = "mbus-destination";
    /** {@code true} or {@code false}. */
    public static final String RELIABLE = "mbus-reliable";

    private final MessageCodec codec = new MessageCodec();

    public ProducerRecord<String, String> encode(String topic, BridgedCommand bridged) {
        Headers headers = new RecordHeaders()
                .add(ORIGIN, bridged.origin().getBytes(UTF_8))
                .add(MESSAGE_ID, bridged.messageId().getBytes(UTF_8))
                .add(DESTINATION, bridged.destination().toString().getBytes(UTF_8))
                .add(RELIABLE, Boolean.toString(bridged.reliable()).getBytes(UTF_8));
        return new ProducerRecord<>(topic, null, bridged.source().toString(), MbusText.of(bridged.command()), headers);
    }

    /**
     * The command a record carries.
     *
     * @throws MalformedRecordException when a header is missing or the key, a header or the value
     *         is not what {@link #encode} writes
     */
    public BridgedCommand decode(ConsumerRecord<String, String> record) {
        String origin = header(record, ORIGIN);
        String messageId = header(record, MESSAGE_ID);
        Address destination = address(header(record, DESTINATION), "header " + DESTINATION);
        boolean reliable = reliable(header(record, RELIABLE));
        if (record.key() == null) {
            throw new MalformedRecordException("no key (the source address)");
        }
        Address source = address(record.key(), "key");
        return new BridgedCommand(origin, messageId, source, destination, reliable, command(record.value()));
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        if (header == null || header.value() == null || header.value().length == 0) {
            throw new MalformedRecordException("no header " + name);
        }
        return new String(header.value(), UTF_8);
    }

    private static Address address(String text, String where) {
        try {
            return Address.parse(text);
        } catch (IllegalArgumentException e) {
            throw new MalformedRecordException(where + " is not an Mbus address: " + e.getMessage(), e);
        }
    }

    private static boolean reliable(String text) {
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new MalformedRecordException("header " + RELIABLE + " is neither true nor false");
        };
    }

    /** {@code name (args)}: the name up to the argument list, which mbus-core's parser reads. */
    private Command command(String text) {
        int open = text == null ? -1 : text.indexOf('(');
        if (open < 0) {
            throw new MalformedRecordException("the value is not a command, name (arguments)");
        }
        try {
            return new Command(text.substring(0, open).strip(), codec.parseArguments(text.substring(open)));
        } catch (MalformedMessageException | IllegalArgumentException e) {
            throw new MalformedRecordException("the value is not a command: " + e.getMessage(), e);
        }
    }
}
