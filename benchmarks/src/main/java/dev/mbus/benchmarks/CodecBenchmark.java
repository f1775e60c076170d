package dev.mbus.benchmarks;

import dev.mbus.core.codec.DatagramCodec;
import dev.mbus.core.codec.MessageCodec;
import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import dev.mbus.core.message.Message;
import dev.mbus.core.security.CipherAlgorithm;
import dev.mbus.core.security.HashAlgorithm;
import dev.mbus.core.security.MbusKeys;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One typical message (three RAT-style commands, about 200 bytes on the wire) through the codec
 * stack, per security setting:
 * <ul>
 * <li>{@code none}: {@link MessageCodec} alone (text only, no digest line);</li>
 * <li>{@code hash}: HMAC-MD5-96, no cipher;</li>
 * <li>{@code aes}: HMAC-MD5-96 and AES-128-CBC;</li>
 * <li>{@code des}: HMAC-MD5-96 and DES-CBC (what the reference implementation uses).</li>
 * </ul>
 * {@code decode} is verify + decrypt + parse of a received datagram; {@code encode} is
 * format + pad + encrypt + sign. Run with
 * {@code java -jar benchmarks/target/benchmarks.jar CodecBenchmark -prof gc} for bytes per op.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class CodecBenchmark {

    /** {@code MbusTestHash}, the hash key of the wire vectors: 12 bytes, as generated keys are. */
    private static final byte[] HASH_KEY = "MbusTestHash".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] AES_KEY = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    /** Odd parity, as the reference implementation requires. */
    private static final byte[] DES_KEY = {0x01, 0x23, 0x45, 0x67, (byte) 0x89, (byte) 0xab, (byte) 0xcd, (byte) 0xef};

    @Param({"none", "hash", "aes", "des"})
    public String security;

    private MessageCodec codec;
    /** Null for {@code none}. */
    private DatagramCodec datagrams;
    private Message message;
    private byte[] received;

    /** The message a media engine sends its user interface. */
    static Message typicalMessage() {
        return new Message(4711, 1_795_672_081_185L, true,
                Address.of("app:rat", "module:engine", "id:4711-1@localhost"), Address.of("app:rat", "module:ui"),
                List.of(17L),
                List.of(Command.of("tool.rat.volume", 75),
                        Command.of("tool.rat.codec", "PCMU", 8000, 1),
                        Command.of("tool.rat.mute", 0)));
    }

    static MbusKeys keys(String security) {
        switch (security) {
            case "hash":
                return new MbusKeys(HashAlgorithm.HMAC_MD5_96, HASH_KEY, CipherAlgorithm.NOENCR, new byte[0]);
            case "aes":
                return new MbusKeys(HashAlgorithm.HMAC_MD5_96, HASH_KEY, CipherAlgorithm.AES, AES_KEY);
            case "des":
                return new MbusKeys(HashAlgorithm.HMAC_MD5_96, HASH_KEY, CipherAlgorithm.DES, DES_KEY);
            default:
                throw new IllegalArgumentException("unknown security setting " + security);
        }
    }

    @Setup
    public void setUp() {
        codec = new MessageCodec();
        message = typicalMessage();
        if (security.equals("none")) {
            received = codec.encode(message);
        } else {
            datagrams = new DatagramCodec(keys(security));
            received = datagrams.encode(message);
        }
        if (!decode().equals(message)) {
            throw new IllegalStateException("the codec does not round-trip the benchmark message");
        }
    }

    @Benchmark
    public Message decode() {
        return datagrams == null ? codec.decode(received, 0, received.length)
                : datagrams.decode(received, 0, received.length);
    }

    @Benchmark
    public byte[] encode() {
        return datagrams == null ? codec.encode(message) : datagrams.encode(message);
    }

    /** The size of the benchmark datagram for each setting, for the report. */
    public static void main(String[] args) {
        for (String security : List.of("none", "hash", "aes", "des")) {
            CodecBenchmark benchmark = new CodecBenchmark();
            benchmark.security = security;
            benchmark.setUp();
            System.out.println(security + ": " + benchmark.received.length + " bytes");
        }
    }
}
