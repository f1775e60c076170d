package dev.mbus.core.message;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random, valid Mbus messages for property tests, from a seed, so that a failure can name the
 * seed that reproduces it: {@code new MessageGenerator(seed).message()}.
 *
 * <p>It favours the edges: every value type, empty and nested lists, empty strings, strings
 * with quotes, backslashes, newlines, control characters and non-ASCII text (supplementary
 * characters included), Long.MIN_VALUE/MAX_VALUE, tiny, huge and negative-zero floats, empty
 * data, broadcast and non-ASCII addresses, sequence numbers 0 and 2^32-1. Messages stay well
 * under 16 KB of text, lists within 4 levels of nesting. Shared with other modules' tests
 * through mbus-core's test-jar: plain Java, no dependencies.
 */
public final class MessageGenerator {

    /** Characters strings are made of most of the time: the ones that need care on the wire. */
    private static final String INTERESTING = "aZ09 \"\\\n\r\t()<>:.-_é€中\u0000\u007f\u0085\u00a0\ufeff\uffff";
    private static final String[] SUPPLEMENTARY = {"😀", "𝄞", "\ud800\udc00", "\udbff\udfff"};
    private static final String SYMBOL_START = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final String SYMBOL_PART = SYMBOL_START + "0123456789_-.";
    private static final double[] FLOATS = {0.0, -0.0, 1.0, -1.0, 0.5, -0.25, -500.0, 3.14, 1.0E-5, 1.0E22,
        Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE, -Double.MAX_VALUE, 2.0E-3};
    private static final long[] INTEGERS = {0, 1, -1, 7, 42, 127, 128, -128, 1L << 31, 1L << 32,
        Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1, Integer.MAX_VALUE, Integer.MIN_VALUE};

    private final long seed;
    private final SplittableRandom random;
    /** Values the current message may still get, so messages stay small however the dice fall. */
    private int budget;

    public MessageGenerator(long seed) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
    }

    public long seed() {
        return seed;
    }

    /** A random message: 0 to 6 commands, random header fields. */
    public Message message() {
        budget = 120;
        long sequence = pick(4) == 0 ? Message.MAX_SEQUENCE : pick(4) == 0 ? 0 : random.nextLong(Message.MAX_SEQUENCE + 1);
        long timestamp = pick(8) == 0 ? Long.MAX_VALUE : pick(8) == 0 ? 0 : 1_795_672_000_000L + random.nextLong(1L << 36);
        List<Long> acks = new ArrayList<>();
        for (int n = pick(4) == 0 ? pick(5) : 0; n > 0; n--) {
            acks.add(pick(3) == 0 ? Message.MAX_SEQUENCE : random.nextLong(Message.MAX_SEQUENCE + 1));
        }
        List<Command> commands = new ArrayList<>();
        for (int n = pick(7); n > 0; n--) {
            commands.add(command());
        }
        return new Message(sequence, timestamp, random.nextBoolean(), address(), pick(3) == 0 ? Address.BROADCAST : address(),
                acks, commands);
    }

    /** A command with a random name and 0 to 4 arguments. */
    public Command command() {
        if (budget <= 0) {
            budget = 20;
        }
        List<MbusValue> args = new ArrayList<>();
        for (int n = pick(5); n > 0; n--) {
            args.add(value(0));
        }
        return new Command(symbolText(), args);
    }

    /** A random value of any type; lists nest at most 4 deep below {@code depth}. */
    public MbusValue value(int depth) {
        budget--;
        switch (pick(depth >= 4 || budget <= 0 ? 5 : 6)) {
            case 0:
                return new IntegerValue(pick(3) == 0 ? INTEGERS[pick(INTEGERS.length)] : random.nextLong() >> pick(64));
            case 1:
                return new FloatValue(floatValue());
            case 2:
                return new StringValue(text(pick(4) == 0 ? 0 : 1 + pick(16)));
            case 3:
                return new SymbolValue(symbolText());
            case 4:
                byte[] data = new byte[pick(4) == 0 ? 0 : pick(20)];
                random.nextBytes(data);
                return new DataValue(data);
            default:
                List<MbusValue> elements = new ArrayList<>();
                for (int n = pick(5); n > 0; n--) {
                    elements.add(value(depth + 1));
                }
                return new ListValue(elements);
        }
    }

    /** A random address of 1 to 4 elements, occasionally with non-ASCII or odd characters. */
    public Address address() {
        int n = 1 + pick(4);
        List<String> elements = new ArrayList<>(n);
        String[] attrs = {"app", "module", "media", "id", "x", "über", "a-b.c"};
        for (int i = 0; i < n; i++) {
            String attr = attrs[pick(attrs.length)];
            String value;
            switch (pick(4)) {
                case 0:
                    value = random.nextInt(100_000) + "-" + random.nextInt(10) + "@host.example";
                    break;
                case 1:
                    value = "";
                    break;
                case 2:
                    value = "a:b\\é€😀<>@=" + pick(10);
                    break;
                default:
                    value = symbolText();
            }
            elements.add(attr + ":" + value);
        }
        return Address.of(elements);
    }

    /** A random string of {@code length} code points, often of the characters that need escaping. */
    public String text(int length) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            switch (pick(6)) {
                case 0:
                    text.append(SUPPLEMENTARY[pick(SUPPLEMENTARY.length)]);
                    break;
                case 1: // any code point but a surrogate, which UTF-8 cannot carry alone
                    int codePoint;
                    do {
                        codePoint = random.nextInt(Character.MAX_CODE_POINT + 1);
                    } while (codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE);
                    text.appendCodePoint(codePoint);
                    break;
                case 2:
                case 3:
                    text.append((char) (' ' + pick(95)));
                    break;
                default:
                    text.append(INTERESTING.charAt(pick(INTERESTING.length())));
            }
        }
        return text.toString();
    }

    /** A symbol (and command name): a letter, then letters, digits, '_', '-', '.'. */
    public String symbolText() {
        StringBuilder name = new StringBuilder().append(SYMBOL_START.charAt(pick(SYMBOL_START.length())));
        for (int n = pick(12); n > 0; n--) {
            name.append(SYMBOL_PART.charAt(pick(SYMBOL_PART.length())));
        }
        return name.toString();
    }

    /** A finite double: an edge case, a plain decimal, or any finite bit pattern. */
    public double floatValue() {
        switch (pick(3)) {
            case 0:
                return FLOATS[pick(FLOATS.length)];
            case 1:
                return (random.nextInt(2_000_001) - 1_000_000) / 1000.0;
            default:
                double value;
                do {
                    value = Double.longBitsToDouble(random.nextLong());
                } while (!Double.isFinite(value));
                return value;
        }
    }

    private int pick(int bound) {
        return random.nextInt(bound);
    }
}
