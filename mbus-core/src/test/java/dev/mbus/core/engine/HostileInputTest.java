package dev.mbus.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mbus.core.InvalidDatagramException.Reason;
import dev.mbus.core.codec.DatagramCodec;
import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import dev.mbus.core.message.Message;
import dev.mbus.core.security.CipherAlgorithm;
import dev.mbus.core.security.DatagramSecurity;
import dev.mbus.core.security.HashAlgorithm;
import dev.mbus.core.security.MbusKeys;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Whatever arrives on the port, the entity counts it, drops it and keeps serving. */
class HostileInputTest {

    private static final InetSocketAddress ATTACKER = new InetSocketAddress("127.0.0.1", 6666);

    private static byte[] signed(String text) {
        return new DatagramSecurity(MemoryBus.KEYS).seal(text.getBytes(StandardCharsets.UTF_8), 0,
                text.getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void everyKindOfBadDatagramIsCountedAndDroppedWhileTrafficFlows() {
        try (MemoryBus bus = new MemoryBus(11)) {
            MbusEntity a = bus.join("(app:a)");
            MbusEntity b = bus.join("(app:b)");
            List<Long> delivered = MemoryBus.firstArguments(b, "n");
            bus.deliver();
            String header = "mbus/1.0 5 1795672000000 U (app:evil id:1) (app:b) ()\n";
            MbusKeys otherKey = new MbusKeys(HashAlgorithm.HMAC_MD5_96, "another".getBytes(StandardCharsets.US_ASCII),
                    CipherAlgorithm.NOENCR, null);
            byte[] wrongKey = new DatagramSecurity(otherKey).seal((header + "n (1)\n").getBytes(StandardCharsets.UTF_8),
                    0, (header + "n (1)\n").length());
            byte[] tampered = signed(header + "n (1)\n");
            tampered[tampered.length - 3] ^= 1;
            byte[] garbage = new byte[300];
            new Random(1).nextBytes(garbage);
            garbage[16] = '\n';
            List<byte[]> hostile = List.of(
                    garbage,
                    "short".getBytes(StandardCharsets.US_ASCII),
                    new byte[0],
                    tampered,
                    wrongKey,
                    new byte[70_000],
                    signed(header + "n (" + "(".repeat(1000) + ")".repeat(1000) + ")\n"),
                    signed(header + "n (99999999999999999999999)\n"),
                    signed("mbus/1.0 99999999999 1795672000000 U (app:evil id:1) (app:b) ()\nn (1)\n"),
                    signed(header + "n (\"unterminated)\n"));

            int sent = 0;
            for (byte[] datagram : hostile) {
                a.sendReliable(b.address(), Command.of("n", sent++));
                bus.network.inject(datagram, ATTACKER);
                bus.deliver();
            }
            a.sendReliable(b.address(), Command.of("n", sent++));
            bus.deliver();

            assertThat(delivered).hasSize(sent);
            assertThat(b.isRunning()).isTrue();
            var dropped = b.stats().dropped();
            assertThat(dropped.get(Reason.BAD_DIGEST)).isEqualTo(3); // garbage, tampered, wrong key
            assertThat(dropped.get(Reason.TOO_SHORT)).isEqualTo(2);
            assertThat(dropped.get(Reason.OVERSIZED)).isEqualTo(1);
            assertThat(dropped.get(Reason.PARSE_ERROR)).isEqualTo(4);
            assertThat(b.peers()).extracting(peer -> peer.address()).containsExactly(a.address());
        }
    }

    @Test
    void replayedDatagramsAreDroppedAsDuplicates() {
        try (MemoryBus bus = new MemoryBus(12)) {
            MbusEntity b = bus.join("(app:b)");
            List<Long> delivered = MemoryBus.firstArguments(b, "n");
            DatagramCodec codec = new DatagramCodec(MemoryBus.KEYS);
            Address evil = Address.parse("(app:other id:7)");
            byte[] unreliable = codec.encode(new Message(1, 1795672000000L, false, evil, b.address(), List.of(),
                    List.of(Command.of("n", 1))));
            byte[] reliable = codec.encode(new Message(2, 1795672000001L, true, evil, b.address(), List.of(),
                    List.of(Command.of("n", 2))));

            for (int i = 0; i < 3; i++) {
                bus.network.inject(unreliable, ATTACKER);
                bus.network.inject(reliable, ATTACKER);
                bus.deliver();
            }

            assertThat(delivered).containsExactly(1L, 2L);
            assertThat(b.stats().duplicates()).isEqualTo(4);
        }
    }
}
