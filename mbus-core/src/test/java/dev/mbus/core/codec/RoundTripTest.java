package dev.mbus.core.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mbus.core.message.Message;
import dev.mbus.core.message.MessageGenerator;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** encode then decode gives the same message, and the canonical text is stable, for random messages. */
class RoundTripTest {

    private static final MessageCodec CODEC = new MessageCodec();

    static LongStream seeds() {
        return LongStream.range(0, 3000);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void decodeOfEncodeIsTheSameMessage(long seed) {
        Message message = new MessageGenerator(seed).message();

        byte[] encoded = CODEC.encode(message);
        Message decoded = CODEC.decode(encoded);

        assertThat(decoded).as("seed %d: %s", seed, message).isEqualTo(message);
        assertThat(CODEC.encode(decoded)).as("seed %d: canonical text is stable", seed).isEqualTo(encoded);
        assertThat(CODEC.format(message).split("\n", -1)).as("seed %d: the text has a line per command", seed)
                .hasSize(message.commands().size() + 2);
        assertThat(CODEC.parse(CODEC.format(message))).isEqualTo(message);
    }
}
