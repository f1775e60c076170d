package dev.mbus.sample.bridge;

import static dev.mbus.sample.bridge.TestRecords.consumed;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import dev.mbus.core.message.DataValue;
import dev.mbus.core.message.FloatValue;
import dev.mbus.core.message.IntegerValue;
import dev.mbus.core.message.ListValue;
import dev.mbus.core.message.StringValue;
import dev.mbus.core.message.SymbolValue;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class BridgeRecordCodecTests {

    private final BridgeRecordCodec codec = new BridgeRecordCodec();

    static Stream<Command> commands() {
        return Stream.of(
                Command.of("player.play"),
                Command.of("player.load", List.of("So What", 562.0)),
                // What text gets wrong: quotes, backslashes, newlines, parentheses in strings,
                // non-ASCII, symbols against strings, floats that look like integers, extremes, data.
                new Command("tool.say", List.of(new StringValue("a \"quoted\" \\ (paren)\nnext line é 😀"),
                        new SymbolValue("PLAYING"), new StringValue("PLAYING"), new FloatValue(1.0),
                        new IntegerValue(Long.MIN_VALUE), new FloatValue(-0.0), new FloatValue(1e300),
                        new DataValue(new byte[] {0, (byte) 0xff, 10, 13}), ListValue.EMPTY,
                        ListValue.of(ListValue.of(1L, "x"), 2.5))));
    }

    @ParameterizedTest
    @MethodSource("commands")
    void aCommandComesBackAsItWas(Command command) {
        BridgedCommand sent = new BridgedCommand("bridge-a", "id-1", Address.parse("(app:ui id:7-1@host)"),
                Address.parse("(app:sample-player)"), true, command);

        BridgedCommand received = codec.decode(consumed(codec.encode("topic", sent)));

        assertThat(received).isEqualTo(sent);
        assertThat(received.command().args()).isEqualTo(command.args()); // types too: symbol vs string, float vs int
    }

    @Test
    void keyAndValueAreMbusText() {
        ProducerRecord<String, String> record = codec.encode("mbus", new BridgedCommand("b", "1",
                Address.parse("(app:ui id:1)"), Address.BROADCAST, false, Command.of("player.volume", 42)));

        assertThat(record.topic()).isEqualTo("mbus");
        assertThat(record.key()).isEqualTo("(app:ui id:1)");
        assertThat(record.value()).isEqualTo("player.volume (42)");
        assertThat(text(record, BridgeRecordCodec.DESTINATION)).isEqualTo("()");
        assertThat(text(record, BridgeRecordCodec.RELIABLE)).isEqualTo("false");
        assertThat(text(record, BridgeRecordCodec.ORIGIN)).isEqualTo("b");
        assertThat(text(record, BridgeRecordCodec.MESSAGE_ID)).isEqualTo("1");
    }

    @Test
    void malformedRecordsAreRefusedWithTheReason() {
        ProducerRecord<String, String> good = codec.encode("t", new BridgedCommand("b", "1", Address.parse("(app:ui)"),
                Address.BROADCAST, false, Command.of("player.volume", 42)));

        assertThatThrownBy(() -> codec.decode(consumed(good, good.key(), "player.volume 42")))
                .isInstanceOf(MalformedRecordException.class).hasMessageContaining("not a command");
        assertThatThrownBy(() -> codec.decode(consumed(good, good.key(), "player.volume (\"unterminated)")))
                .isInstanceOf(MalformedRecordException.class).hasMessageContaining("not a command");
        assertThatThrownBy(() -> codec.decode(consumed(good, good.key(), "not a name (42)")))
                .isInstanceOf(MalformedRecordException.class).hasMessageContaining("not a command");
        assertThatThrownBy(() -> codec.decode(consumed(good, good.key(), null)))
                .isInstanceOf(MalformedRecordException.class);
        assertThatThrownBy(() -> codec.decode(consumed(good, null, good.value())))
                .isInstanceOf(MalformedRecordException.class).hasMessageContaining("no key");
        assertThatThrownBy(() -> codec.decode(consumed(good, "(app)", good.value())))
                .isInstanceOf(MalformedRecordException.class).hasMessageContaining("key is not an Mbus address");

        for (String header : List.of(BridgeRecordCodec.ORIGIN, BridgeRecordCodec.MESSAGE_ID,
                BridgeRecordCodec.DESTINATION, BridgeRecordCodec.RELIABLE)) {
            ConsumerRecord<String, String> without = consumed(good);
            without.headers().remove(header);
            assertThatThrownBy(() -> codec.decode(without)).isInstanceOf(MalformedRecordException.class)
                    .hasMessage("no header " + header);
        }
        ConsumerRecord<String, String> yes = consumed(good);
        yes.headers().remove(BridgeRecordCodec.RELIABLE).add(BridgeRecordCodec.RELIABLE, "yes".getBytes(UTF_8));
        assertThatThrownBy(() -> codec.decode(yes)).isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("neither true nor false");
    }

    private static String text(ProducerRecord<?, ?> record, String header) {
        Header found = record.headers().lastHeader(header);
        return found == null ? null : new String(found.value(), UTF_8);
    }
}
