package dev.mbus.core.codec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mbus.core.message.Address;
import dev.mbus.core.message.Message;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The caches of addresses, command names and symbols behind {@link MessageCodec#decode}. */
class DecodeCacheTest {

    private static byte[] text(String source, String destination, String command) {
        return ("mbus/1.0 1 2 U " + source + " " + destination + " ()\n" + command + "\n").getBytes(UTF_8);
    }

    @Test
    void aRepeatedAddressIsTheSameEqualInstance() {
        MessageCodec codec = new MessageCodec();
        byte[] bytes = text("(app:rat module:engine id:1-1@h)", "(app:rat module:ui)", "tool.rat.mute (on)");

        Message first = codec.decode(bytes);
        Message second = codec.decode(bytes);

        assertThat(second).isEqualTo(first);
        assertThat(first.source()).isEqualTo(Address.of("app:rat", "module:engine", "id:1-1@h"));
        assertThat(first.source().elements()).containsExactly("app:rat", "module:engine", "id:1-1@h");
        assertThat(second.source()).isSameAs(first.source());
        assertThat(second.destination()).isSameAs(first.destination());
        assertThat(second.commands().get(0).name()).isSameAs(first.commands().get(0).name());
        assertThat(second.commands().get(0).arg(0)).isSameAs(first.commands().get(0).arg(0));
    }

    @Test
    void keepsTheWrittenOrderOfEachSpelling() {
        MessageCodec codec = new MessageCodec();

        Address ab = codec.decode(text("(a:1 b:2)", "()", "x ()")).source();
        Address ba = codec.decode(text("(b:2 a:1)", "()", "x ()")).source();

        assertThat(ab).isEqualTo(ba);
        assertThat(ab.elements()).containsExactly("a:1", "b:2");
        assertThat(ba.elements()).containsExactly("b:2", "a:1");
    }

    @Test
    void neverConfusesRunsWithTheSameHash() {
        String[] pair = sameHash();
        MessageCodec codec = new MessageCodec();
        for (int i = 0; i < 4; i++) {
            Message a = codec.decode(text("(" + pair[0] + ")", "(" + pair[1] + ")", "x ()"));
            Message b = codec.decode(text("(" + pair[1] + ")", "(" + pair[0] + ")", "x ()"));

            assertThat(a.source().elements()).containsExactly(pair[0]);
            assertThat(a.destination().elements()).containsExactly(pair[1]);
            assertThat(b.source().elements()).containsExactly(pair[1]);
            assertThat(b.destination().elements()).containsExactly(pair[0]);
        }
    }

    /** Two address elements {@code id:N} whose bytes have the same {@link ByteKeyCache#hash}. */
    private static String[] sameHash() {
        Map<Integer, String> seen = new HashMap<>();
        for (int n = 0; n < 10_000_000; n++) {
            String element = "id:" + n;
            byte[] bytes = element.getBytes(UTF_8);
            String before = seen.putIfAbsent(ByteKeyCache.hash(bytes, 0, bytes.length), element);
            if (before != null) {
                return new String[] {before, element};
            }
        }
        throw new AssertionError("no two elements with the same hash");
    }

    @Test
    void neverConfusesRunsInTheSameSlot() {
        MessageCodec codec = new MessageCodec(CodecLimits.DEFAULT, MessageParser.Caches.create(1));
        List<byte[]> inputs = List.of(text("(a:1)", "(b:2)", "cmd.a (x)"), text("(b:2)", "(a:1)", "cmd.b (y)"),
                text("(a:1 b:2)", "()", "cmd.a (xy)"), text("(a:1)", "(b:2)", "cmd.ab (x)"));
        for (int round = 0; round < 4; round++) {
            for (byte[] input : inputs) {
                Message expected = new MessageCodec().decode(input);
                Message message = codec.decode(input);

                assertThat(message).isEqualTo(expected);
                assertThat(message.source().elements()).isEqualTo(expected.source().elements());
            }
        }
    }

    @Test
    void aSingleSlotCacheHoldsTheLastKeyAndConfusesNone() {
        ByteKeyCache<String> cache = new ByteKeyCache<>(1, 8);
        byte[] in = "a:1 a:2 a:1".getBytes(UTF_8);

        cache.put(in, 0, 3, "one");
        assertThat(cache.get(in, 8, 11)).isEqualTo("one");
        assertThat(cache.get(in, 4, 7)).isNull();
        assertThat(cache.get(in, 0, 2)).as("a prefix").isNull();
        cache.put(in, 4, 7, "two");
        assertThat(cache.get(in, 4, 7)).as("a first miss does not evict").isNull();
        assertThat(cache.get(in, 0, 3)).isEqualTo("one");
        cache.put(in, 4, 7, "two");
        assertThat(cache.get(in, 4, 7)).as("a second miss in a row does").isEqualTo("two");
        assertThat(cache.get(in, 0, 3)).isNull();
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void doesNotCacheRunsLongerThanItsLimit() {
        ByteKeyCache<String> cache = new ByteKeyCache<>(16, 4);
        byte[] in = "abcde".getBytes(UTF_8);

        cache.put(in, 0, 5, "long");
        cache.put(in, 0, 4, "short");

        assertThat(cache.get(in, 0, 5)).isNull();
        assertThat(cache.get(in, 0, 4)).isEqualTo("short");
    }

    @Test
    void aLongAddressIsReadEveryTimeAndRight() {
        MessageCodec codec = new MessageCodec();
        String element = "id:" + "x".repeat(200);

        Message first = codec.decode(text("(" + element + ")", "()", "x ()"));
        Message second = codec.decode(text("(" + element + ")", "()", "x ()"));

        assertThat(second.source()).isEqualTo(Address.of(element)).isNotSameAs(first.source());
        assertThat(codec.caches().addresses().size()).isEqualTo(1); // () only
    }

    @Test
    void errorsAfterACachedAddressAreTheSameAsWithout() {
        MessageCodec warm = new MessageCodec();
        warm.decode(text("(a:b)", "(c:d)", "x ()"));
        for (String bad : List.of("mbus/1.0 1 2 U (a:b)x (c:d) ()\n", "mbus/1.0 1 2 U (a:b) (c:d)( ()\n",
                "mbus/1.0 1 2 U (a:b) (c:d)", "mbus/1.0 1 2 U (a:b) (c:d) ()\nx (", "mbus/1.0 1 2 U (a:b) (c:d) ()\nx y")) {
            MalformedMessageException cold = error(new MessageCodec(), bad);
            MalformedMessageException hot = error(warm, bad);

            assertThat(hot.offset()).as(bad).isEqualTo(cold.offset());
            assertThat(hot.getMessage()).as(bad).isEqualTo(cold.getMessage());
        }
    }

    private static MalformedMessageException error(MessageCodec codec, String text) {
        MalformedMessageException error = catchThrowableOfType(MalformedMessageException.class,
                () -> codec.decode(text.getBytes(UTF_8)));
        assertThat(error).as(text).isNotNull();
        return error;
    }

    @Test
    void aFloodOfDistinctRunsKeepsMemoryBounded() {
        MessageCodec codec = new MessageCodec();
        MessageParser.Caches caches = codec.caches();
        for (int i = 0; i < 50_000; i++) {
            String id = Integer.toString(i, 36);
            Message message = codec.decode(text("(id:" + id + " app:flood)", "(to:" + id + ")",
                    "cmd" + id + " (s" + id + ")"));
            assertThat(message.source().get("id")).isEqualTo(id);
        }

        for (ByteKeyCache<?> cache : List.of(caches.addresses(), caches.names(), caches.symbols())) {
            assertThat(cache.size()).isLessThanOrEqualTo(cache.capacity());
            assertThat(cache.keyBytes()).isLessThanOrEqualTo((long) cache.capacity() * cache.maxKeyLength());
        }
        assertThat(caches.addresses().size()).as("the slots are in use").isGreaterThan(caches.addresses().capacity() / 2);
    }

    @Test
    void threadsDecodingAtOnceEachGetTheirOwnMessages() throws Exception {
        MessageCodec codec = new MessageCodec();
        // More distinct addresses, names and symbols than slots, with pairs of the same hash, so
        // that threads keep replacing each other's entries while they read them.
        List<byte[]> inputs = new ArrayList<>();
        List<Message> expected = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            String pair = i % 2 == 0 ? "Aa" : "BB";
            String id = (i / 2) + pair;
            byte[] bytes = text("(app:t id:" + id + ")", "(to:" + id + ")", "cmd." + id + " (s" + id + " " + i + ")");
            inputs.add(bytes);
            expected.add(new MessageCodec().decode(bytes));
        }
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                results.add(pool.submit(() -> {
                    int checked = 0;
                    for (int n = 0; n < 50_000; n++) {
                        int i = ThreadLocalRandom.current().nextInt(inputs.size());
                        Message message = codec.decode(inputs.get(i));
                        if (!message.equals(expected.get(i))
                                || !message.source().elements().equals(expected.get(i).source().elements())) {
                            throw new AssertionError("input " + i + " decoded as " + message);
                        }
                        checked++;
                    }
                    return checked;
                }));
            }
            for (Future<Integer> result : results) {
                assertThat(result.get(60, TimeUnit.SECONDS)).isEqualTo(50_000);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
