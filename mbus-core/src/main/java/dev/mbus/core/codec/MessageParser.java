package dev.mbus.core.codec;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import dev.mbus.core.message.DataValue;
import dev.mbus.core.message.FloatValue;
import dev.mbus.core.message.IntegerValue;
import dev.mbus.core.message.ListValue;
import dev.mbus.core.message.MbusValue;
import dev.mbus.core.message.Message;
import dev.mbus.core.message.StringValue;
import dev.mbus.core.message.SymbolValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads one message text (or one argument list) straight off a byte array with an index. One
 * instance per input, used by one thread; it keeps no state across inputs.
 *
 * <p>Nested lists are read with an explicit stack, never by recursion, so hostile nesting costs
 * an error, not a {@link StackOverflowError}. Every error is a {@link MalformedMessageException}
 * whose offset is relative to the start of the message text; for an unterminated construct
 * (string, list, address, data) it is the offset of its opening character.
 *
 * <p>Addresses, command names and symbols are looked up in the codec's {@link Caches} first: on a
 * bus they repeat in nearly every message.
 */
final class MessageParser {

    /**
     * What the parser keeps across inputs: the immutable objects that recent byte runs parsed to,
     * one cache per codec. Each has a fixed number of slots and a longest key (address contents up
     * to 128 bytes, names 64, symbols 32): a few KB on a real bus, and under a flood of the worst
     * input (many tiny elements per address) about 0.6 MB in all (measured: 556 KB).
     */
    record Caches(ByteKeyCache<Address> addresses, ByteKeyCache<String> names, ByteKeyCache<SymbolValue> symbols) {

        /** Far more than the handful of entities of a bus, so that few of them share a slot. */
        static Caches create() {
            return create(256);
        }

        static Caches create(int slots) {
            return new Caches(new ByteKeyCache<>(slots, 128), new ByteKeyCache<>(slots, 64),
                    new ByteKeyCache<>(slots, 32));
        }
    }

    private static final byte[] MAGIC = {'m', 'b', 'u', 's', '/', '1', '.', '0'};

    /** Byte classes, as bit flags in {@link #CLASSES}, so that each scanning loop tests one table entry. */
    private static final byte SYMBOL_PART = 1;
    private static final byte WHITE_SPACE = 2;
    /** Ends an address element: white space or ')'. */
    private static final byte ELEMENT_END = 4;
    /** Cannot stand in an address element: ASCII controls, '(', '"', DEL (white space ends it first). */
    private static final byte NOT_IN_ELEMENT = 8;
    private static final byte[] CLASSES = new byte[128];

    /**
     * Shared instances of the small integers, which most arguments are (levels, flags, counts):
     * values are immutable, so sharing them saves an allocation per argument.
     */
    private static final IntegerValue[] SMALL_INTEGERS = new IntegerValue[1024 + 128];
    private static final int SMALL_INTEGER_MIN = -128;

    /** Powers of ten that are exact doubles, for the fast float path. */
    private static final double[] POWERS_OF_TEN = new double[23];

    /** Base64 digit values of the standard alphabet; -1 for every other byte. */
    private static final byte[] BASE64 = new byte[256];

    static {
        for (int c = 0; c < 128; c++) {
            CLASSES[c] = (byte) ((SymbolValue.isSymbolPart(c) ? SYMBOL_PART : 0)
                    | (c == ' ' || c == '\t' || c == '\r' || c == '\n' ? WHITE_SPACE | ELEMENT_END : 0)
                    | (c == ')' ? ELEMENT_END : 0)
                    | (c < ' ' || c == '(' || c == '"' || c == 0x7f ? NOT_IN_ELEMENT : 0));
        }
        for (int i = 0; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = i == 0 ? 1 : POWERS_OF_TEN[i - 1] * 10;
        }
        for (int i = 0; i < SMALL_INTEGERS.length; i++) {
            SMALL_INTEGERS[i] = new IntegerValue(SMALL_INTEGER_MIN + i);
        }
        Arrays.fill(BASE64, (byte) -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            BASE64[alphabet.charAt(i)] = (byte) i;
        }
    }

    private final byte[] in;
    private final int start;
    private final int end;
    private final int maxListDepth;
    private final Caches caches;
    private int pos;

    /** Values of the lists being read, innermost last; allocated on the first value. */
    private MbusValue[] values;
    private int valueCount;
    /**
     * For each open nested list, by depth d >= 1: {@code lists[2d]} is the offset of its '(' and
     * {@code lists[2d + 1]} the index in {@link #values} where its elements begin. Allocated on
     * the first nested list; the argument list itself (depth 0) is kept in locals.
     */
    private int[] lists;

    /** Unescaped string bytes, allocated on the first string that needs it. */
    private byte[] scratch;

    MessageParser(byte[] in, int start, int end, int maxListDepth, Caches caches) {
        this.in = in;
        this.start = start;
        this.end = end;
        this.maxListDepth = maxListDepth;
        this.caches = caches;
        this.pos = start;
    }

    // ---------------------------------------------------------------- message

    Message message() {
        if (end - start < MAGIC.length || !Arrays.equals(in, start, start + MAGIC.length, MAGIC, 0, MAGIC.length)
                || !isFieldEnd(start + MAGIC.length)) {
            throw error(start, "expected 'mbus/1.0'");
        }
        pos = start + MAGIC.length;
        long sequence = headerNumber("sequence number", Message.MAX_SEQUENCE);
        long timestamp = headerNumber("timestamp", Long.MAX_VALUE);
        boolean reliable = messageType();
        Address source = address("source address");
        Address destination = address("destination address");
        List<Long> acks = ackList();
        endOfLine("ack list");
        List<Command> commands = commands();
        return new Message(sequence, timestamp, reliable, source, destination, acks, commands);
    }

    /** Skips the separators before a header field; fails when the line ends first. */
    private int field(String name) {
        while (pos < end && (in[pos] == ' ' || in[pos] == '\t')) {
            pos++;
        }
        if (pos == end || in[pos] == '\n' || in[pos] == '\r') {
            throw error(pos, "missing header field " + name);
        }
        return pos;
    }

    /** Whether a header field may end before {@code i}: a separator, a line end or the end. */
    private boolean isFieldEnd(int i) {
        if (i == end) {
            return true;
        }
        byte b = in[i];
        return b == ' ' || b == '\t' || b == '\r' || b == '\n';
    }

    private long headerNumber(String name, long max) {
        int at = field(name);
        long value = 0;
        int i = at;
        while (i < end && isDigit(in[i])) {
            int digit = in[i] - '0';
            if (value > (max - digit) / 10) {
                throw error(at, name + " out of range");
            }
            value = value * 10 + digit;
            i++;
        }
        if (i == at || !isFieldEnd(i)) {
            throw error(at, "invalid " + name);
        }
        pos = i;
        return value;
    }

    private boolean messageType() {
        int at = field("message type");
        int i = at;
        while (!isFieldEnd(i)) {
            i++;
        }
        pos = i;
        if (i - at == 1 && (in[at] == 'R' || in[at] == 'U')) {
            return in[at] == 'R';
        }
        throw error(at, "unknown message type " + quote(at, i));
    }

    private Address address(String name) {
        int open = field(name);
        if (in[open] != '(') {
            throw error(open, "expected '(' at start of " + name);
        }
        // Bytes equal to those of an address read before are that valid address again: it ends
        // at the first ')', which cannot stand inside an element.
        int close = open + 1;
        int limit = Math.min(end, open + 2 + caches.addresses().maxKeyLength());
        while (close < limit && in[close] != ')') {
            close++;
        }
        boolean cacheable = close < limit;
        Address cached = cacheable ? caches.addresses().get(in, open + 1, close) : null;
        if (cached != null) {
            pos = close + 1;
            if (!isFieldEnd(pos)) {
                throw error(pos, "expected white space after " + name);
            }
            return cached;
        }
        Address address = parseAddress(open, name);
        if (cacheable) {
            caches.addresses().put(in, open + 1, close, address);
        }
        return address;
    }

    private Address parseAddress(int open, String name) {
        pos = open + 1;
        String[] elements = null;
        int count = 0;
        while (true) {
            while (pos < end && (in[pos] == ' ' || in[pos] == '\t')) {
                pos++;
            }
            if (pos == end || in[pos] == '\n' || in[pos] == '\r') {
                throw error(open, "unterminated " + name);
            }
            if (in[pos] == ')') {
                pos++;
                break;
            }
            if (elements == null) {
                elements = new String[4];
            } else if (count == elements.length) {
                elements = Arrays.copyOf(elements, count * 2);
            }
            elements[count++] = addressElement();
        }
        if (!isFieldEnd(pos)) {
            throw error(pos, "expected white space after " + name);
        }
        if (count == 0) {
            return Address.BROADCAST;
        }
        try {
            // An exact array: Address.of copies it with Arrays.copyOf (a subList would iterate).
            return Address.of(count == elements.length ? elements : Arrays.copyOf(elements, count));
        } catch (IllegalArgumentException e) { // cannot happen: addressElement() checks the same rules
            throw error(open, "invalid " + name);
        }
    }

    /** One {@code attr:value} element, up to white space or ')'. */
    private String addressElement() {
        int at = pos;
        int i = pos;
        boolean ascii = true;
        int colon = -1;
        while (i < end) {
            byte b = in[i];
            if (b < 0) {
                i += utf8Sequence(i);
                ascii = false;
                continue;
            }
            int type = CLASSES[b];
            if ((type & ELEMENT_END) != 0) {
                break;
            }
            if ((type & NOT_IN_ELEMENT) != 0) {
                throw error(i, "invalid character " + describe(b) + " in address element");
            }
            if (b == ':' && colon < 0) {
                colon = i;
            }
            i++;
        }
        pos = i;
        if (colon <= at) {
            throw error(at, "invalid address element " + quote(at, i) + " (expected attr:value)");
        }
        return new String(in, at, i - at, ascii ? ISO_8859_1 : UTF_8);
    }

    private List<Long> ackList() {
        int open = field("ack list");
        if (in[open] != '(') {
            throw error(open, "expected '(' at start of ack list");
        }
        pos = open + 1;
        Long first = null;
        List<Long> more = null;
        while (true) {
            while (pos < end && (in[pos] == ' ' || in[pos] == '\t')) {
                pos++;
            }
            if (pos == end || in[pos] == '\n' || in[pos] == '\r') {
                throw error(open, "unterminated ack list");
            }
            if (in[pos] == ')') {
                pos++;
                break;
            }
            Long ack = ack();
            if (first == null) {
                first = ack;
            } else {
                if (more == null) {
                    more = new ArrayList<>(4);
                    more.add(first);
                }
                more.add(ack);
            }
        }
        return more != null ? more : first != null ? List.of(first) : List.of();
    }

    private Long ack() {
        int at = pos;
        long value = 0;
        int i = at;
        while (i < end && isDigit(in[i])) {
            value = value * 10 + (in[i] - '0');
            if (value > Message.MAX_SEQUENCE) {
                throw error(at, "acknowledged sequence number out of range");
            }
            i++;
        }
        if (i == at || (i < end && in[i] != ' ' && in[i] != '\t' && in[i] != ')' && in[i] != '\n' && in[i] != '\r')) {
            throw error(at, "invalid ack list entry");
        }
        pos = i;
        return value;
    }

    /** Trailing blanks, then LF or the end of the input; a CR before the LF is accepted. */
    private void endOfLine(String after) {
        while (pos < end && (in[pos] == ' ' || in[pos] == '\t' || in[pos] == '\r')) {
            pos++;
        }
        if (pos < end) {
            if (in[pos] != '\n') {
                throw error(pos, "expected end of line after " + after);
            }
            pos++;
        }
    }

    private List<Command> commands() {
        Command[] commands = null;
        int count = 0;
        while (true) {
            while (pos < end && (in[pos] == ' ' || in[pos] == '\t' || in[pos] == '\r')) {
                pos++;
            }
            if (pos == end) {
                break;
            }
            if (in[pos] == '\n') { // blank line
                pos++;
                continue;
            }
            if (commands == null) {
                commands = new Command[4];
            } else if (count == commands.length) {
                commands = Arrays.copyOf(commands, count * 2);
            }
            commands[count++] = command();
        }
        return immutableList(commands, count);
    }

    private Command command() {
        int at = pos;
        if (!SymbolValue.isAsciiLetter(in[at])) {
            throw error(at, "invalid command name");
        }
        int i = symbolEnd(at + 1);
        String name = caches.names().get(in, at, i);
        if (name == null) {
            name = new String(in, at, i - at, ISO_8859_1);
            caches.names().put(in, at, i, name);
        }
        while (i < end && (in[i] == ' ' || in[i] == '\t')) {
            i++;
        }
        if (i == end || in[i] != '(') {
            throw error(i, "expected '(' after command name");
        }
        pos = i;
        List<MbusValue> args = argumentList();
        endOfLine("command arguments");
        return new Command(name, args);
    }

    // ---------------------------------------------------------------- argument lists

    /** One argument list written on its own, surrounded by optional white space. */
    List<MbusValue> argumentsOnly() {
        skipWhiteSpace();
        if (pos == end || in[pos] != '(') {
            throw error(pos, "expected '(' at start of argument list");
        }
        List<MbusValue> args = argumentList();
        skipWhiteSpace();
        if (pos != end) {
            throw error(pos, "unexpected text after argument list");
        }
        return args;
    }

    /**
     * The list that starts at {@code pos} (on its '('), with every nested list; depth 0 is this
     * list itself, so {@code maxListDepth} lists may nest inside it.
     */
    private List<MbusValue> argumentList() {
        int open = pos;
        int base = valueCount;
        int depth = 0;
        pos++;
        while (true) {
            skipWhiteSpace();
            if (pos == end) {
                throw depth == 0 ? error(open, "unterminated argument list") : error(lists[2 * depth], "unterminated list");
            }
            byte b = in[pos];
            if (b == ')') {
                pos++;
                if (depth == 0) {
                    return popList(base);
                }
                List<MbusValue> elements = popList(lists[2 * depth + 1]);
                depth--;
                push(elements.isEmpty() ? ListValue.EMPTY : new ListValue(elements));
                requireValueEnd();
            } else if (b == '(') {
                if (depth == maxListDepth) {
                    throw error(pos, "list nesting deeper than " + maxListDepth);
                }
                depth++;
                if (lists == null) {
                    lists = new int[8];
                } else if (2 * depth == lists.length) {
                    lists = Arrays.copyOf(lists, 4 * depth);
                }
                lists[2 * depth] = pos;
                lists[2 * depth + 1] = valueCount;
                pos++;
            } else {
                push(atom(b));
            }
        }
    }

    private void push(MbusValue value) {
        if (values == null) {
            values = new MbusValue[8];
        } else if (valueCount == values.length) {
            values = Arrays.copyOf(values, valueCount * 2);
        }
        values[valueCount++] = value;
    }

    /** The values from {@code from} to the top, removed from the stack, as an immutable list. */
    private List<MbusValue> popList(int from) {
        List<MbusValue> list = from == valueCount ? List.of() : immutableList(values, from, valueCount);
        valueCount = from; // stale references above the top die with this parser
        return list;
    }

    private static <T> List<T> immutableList(T[] array, int count) {
        return count == 0 ? List.of() : immutableList(array, 0, count);
    }

    /** {@code array[from, to)} as an immutable list, copied once (List.of copies its argument). */
    private static <T> List<T> immutableList(T[] array, int from, int to) {
        switch (to - from) {
            case 1:
                return List.of(array[from]);
            case 2:
                return List.of(array[from], array[from + 1]);
            case 3:
                return List.of(array[from], array[from + 1], array[from + 2]);
            default:
                return List.of(Arrays.copyOfRange(array, from, to));
        }
    }

    private void skipWhiteSpace() {
        while (pos < end && isWhiteSpace(in[pos])) {
            pos++;
        }
    }

    /** After a string, data or list: white space, ')' or the end (reported by the caller) must follow. */
    private void requireValueEnd() {
        if (pos < end && !isWhiteSpace(in[pos]) && in[pos] != ')') {
            throw error(pos, "expected white space or ')' after value");
        }
    }

    private MbusValue atom(byte b) {
        MbusValue value;
        if (b == '"') {
            value = new StringValue(string());
        } else if (b == '<') {
            value = data();
        } else if (SymbolValue.isAsciiLetter(b)) {
            return symbol();
        } else if (isDigit(b) || b == '-' || b == '+' || b == '.') {
            return number();
        } else {
            throw error(pos, "unexpected character " + describe(b));
        }
        requireValueEnd();
        return value;
    }

    private SymbolValue symbol() {
        int at = pos;
        int i = symbolEnd(at + 1);
        if (i < end && !isWhiteSpace(in[i]) && in[i] != ')') {
            throw error(i, "invalid character " + describe(in[i]) + " in symbol");
        }
        pos = i;
        SymbolValue symbol = caches.symbols().get(in, at, i);
        if (symbol == null) {
            symbol = new SymbolValue(new String(in, at, i - at, ISO_8859_1));
            caches.symbols().put(in, at, i, symbol);
        }
        return symbol;
    }

    /**
     * An integer ({@code [+-]digits}) or a float ({@code [+-]digits.digits[(e|E)[+-]digits]}, where
     * either digit run around the point may be empty, and {@code 1e5} is a float too).
     */
    private MbusValue number() {
        int at = pos;
        int i = at;
        boolean negative = in[i] == '-';
        if (negative || in[i] == '+') {
            i++;
        }
        int digitsStart = i;
        while (i < end && isDigit(in[i])) {
            i++;
        }
        int digitsEnd = i;
        int mantissaDigits = digitsEnd - digitsStart;
        boolean isFloat = false;
        if (i < end && in[i] == '.') {
            isFloat = true;
            int fraction = ++i;
            while (i < end && isDigit(in[i])) {
                i++;
            }
            mantissaDigits += i - fraction;
        }
        if (mantissaDigits == 0) {
            throw error(at, "invalid number");
        }
        if (i < end && (in[i] == 'e' || in[i] == 'E')) {
            isFloat = true;
            i++;
            if (i < end && (in[i] == '+' || in[i] == '-')) {
                i++;
            }
            int exponent = i;
            while (i < end && isDigit(in[i])) {
                i++;
            }
            if (i == exponent) {
                throw error(at, "invalid number");
            }
        }
        if (i < end && !isWhiteSpace(in[i]) && in[i] != ')') {
            throw error(i, "invalid character " + describe(in[i]) + " in number");
        }
        pos = i;
        if (!isFloat) {
            return integer(parseLong(at, digitsStart, digitsEnd, negative));
        }
        double value = fastFloat(digitsStart, i, negative);
        if (Double.isNaN(value)) {
            // The grammar above is a subset of what parseDouble reads, so it cannot throw here.
            value = Double.parseDouble(new String(in, at, i - at, ISO_8859_1));
        }
        if (!Double.isFinite(value)) {
            throw error(at, "float out of range");
        }
        return new FloatValue(value);
    }

    /**
     * The exact value of a float of at most 15 digits whose decimal exponent (its exponent less
     * its digits after the point) is within +-22, or NaN when the slow path must read it. With
     * m < 2^53 and k <= 22 both m and 10^k are exact doubles, so one correctly rounded division
     * or multiplication gives the correctly rounded value (Clinger's fast path). This covers what
     * {@link Double#toString} writes for short values, {@code 1.0E-5} and {@code 2.5E10} included.
     */
    private double fastFloat(int from, int to, boolean negative) {
        long mantissa = 0;
        int digits = 0;
        int scale = 0; // the value is mantissa / 10^scale
        boolean fraction = false;
        int i = from;
        for (; i < to; i++) {
            byte b = in[i];
            if (b == '.') {
                fraction = true;
            } else if (!isDigit(b)) {
                break; // the exponent
            } else if (++digits > 15) {
                return Double.NaN;
            } else {
                mantissa = mantissa * 10 + (b - '0');
                scale += fraction ? 1 : 0;
            }
        }
        if (i < to) { // 'e' or 'E', then [+-]digits: number() checked the form
            boolean negativeExponent = in[++i] == '-';
            if (negativeExponent || in[i] == '+') {
                i++;
            }
            if (to - i > 3) {
                return Double.NaN; // far out of range of the fast path, or padded with zeros
            }
            int exponent = 0;
            for (; i < to; i++) {
                exponent = exponent * 10 + (in[i] - '0');
            }
            scale += negativeExponent ? exponent : -exponent;
        }
        double value;
        if (scale >= 0 && scale < POWERS_OF_TEN.length) {
            value = mantissa / POWERS_OF_TEN[scale];
        } else if (scale < 0 && -scale < POWERS_OF_TEN.length) {
            value = mantissa * POWERS_OF_TEN[-scale];
        } else {
            return Double.NaN;
        }
        return negative ? -value : value;
    }

    private static IntegerValue integer(long value) {
        long index = value - SMALL_INTEGER_MIN;
        return index >= 0 && index < SMALL_INTEGERS.length ? SMALL_INTEGERS[(int) index] : new IntegerValue(value);
    }

    /** Accumulates negatively, as {@link Long#parseLong} does, so that Long.MIN_VALUE fits. */
    private long parseLong(int at, int from, int to, boolean negative) {
        long limit = negative ? Long.MIN_VALUE : -Long.MAX_VALUE;
        long multiplyLimit = limit / 10;
        long result = 0;
        for (int i = from; i < to; i++) {
            int digit = in[i] - '0';
            if (result < multiplyLimit) {
                throw error(at, "integer out of range");
            }
            result *= 10;
            if (result < limit + digit) {
                throw error(at, "integer out of range");
            }
            result -= digit;
        }
        return negative ? result : -result;
    }

    /**
     * A string at {@code pos} (on its quote). {@code \n} is a newline, any other escaped character
     * is itself; raw control characters, including newlines, are taken as they are.
     */
    private String string() {
        int open = pos;
        int i = open + 1;
        while (i < end) { // fast path: ASCII without escapes
            byte b = in[i];
            if (b == '"') {
                pos = i + 1;
                return new String(in, open + 1, i - open - 1, ISO_8859_1);
            }
            if (b == '\\' || b < 0) {
                return escapedString(open, i);
            }
            i++;
        }
        throw error(open, "unterminated string");
    }

    private String escapedString(int open, int from) {
        int length = from - open - 1;
        if (scratch == null || scratch.length < end - open) {
            scratch = new byte[Math.max(end - open, 64)];
        }
        byte[] out = scratch;
        System.arraycopy(in, open + 1, out, 0, length);
        boolean ascii = true;
        int i = from;
        while (i < end) {
            byte b = in[i];
            if (b == '"') {
                pos = i + 1;
                return new String(out, 0, length, ascii ? ISO_8859_1 : UTF_8);
            }
            if (b == '\\') {
                if (++i == end) {
                    break;
                }
                b = in[i];
                if (b == 'n') {
                    out[length++] = '\n';
                    i++;
                    continue;
                }
            }
            if (b >= 0) {
                out[length++] = b;
                i++;
            } else {
                int n = utf8Sequence(i);
                System.arraycopy(in, i, out, length, n);
                length += n;
                i += n;
                ascii = false;
            }
        }
        throw error(open, "unterminated string");
    }

    /** Checks the UTF-8 sequence whose lead byte (not ASCII) is at {@code i}; returns its length. */
    private int utf8Sequence(int i) {
        int lead = in[i] & 0xff;
        int length;
        int low = 0x80;
        int high = 0xbf;
        if (lead >= 0xc2 && lead <= 0xdf) {
            length = 2;
        } else if (lead >= 0xe0 && lead <= 0xef) {
            length = 3;
            if (lead == 0xe0) {
                low = 0xa0; // no overlong forms
            } else if (lead == 0xed) {
                high = 0x9f; // no surrogates
            }
        } else if (lead >= 0xf0 && lead <= 0xf4) {
            length = 4;
            if (lead == 0xf0) {
                low = 0x90; // no overlong forms
            } else if (lead == 0xf4) {
                high = 0x8f; // nothing above U+10FFFF
            }
        } else {
            throw error(i, "invalid UTF-8");
        }
        if (end - i < length) {
            throw error(i, "invalid UTF-8");
        }
        int second = in[i + 1] & 0xff;
        if (second < low || second > high) {
            throw error(i, "invalid UTF-8");
        }
        for (int k = 2; k < length; k++) {
            if ((in[i + k] & 0xc0) != 0x80) {
                throw error(i, "invalid UTF-8");
            }
        }
        return length;
    }

    /** Data at {@code pos} (on its '<'): standard Base64 with padding, possibly empty. */
    private DataValue data() {
        int open = pos;
        int from = open + 1;
        int close = from;
        while (close < end && in[close] != '>') {
            close++;
        }
        if (close == end) {
            throw error(open, "unterminated data");
        }
        int length = close - from;
        if (length % 4 != 0) {
            throw error(open, "invalid base64 data (length not a multiple of 4)");
        }
        int padding = length == 0 ? 0 : in[close - 1] != '=' ? 0 : in[close - 2] != '=' ? 1 : 2;
        byte[] bytes = new byte[length / 4 * 3 - padding];
        int n = 0;
        int bits = 0;
        int accumulator = 0;
        for (int i = from; i < close - padding; i++) {
            int digit = BASE64[in[i] & 0xff];
            if (digit < 0) {
                throw error(i, "invalid base64 data");
            }
            accumulator = accumulator << 6 | digit;
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                bytes[n++] = (byte) (accumulator >> bits);
            }
        }
        pos = close + 1;
        return new DataValue(bytes);
    }

    // ---------------------------------------------------------------- helpers

    /** The end of the run of symbol characters from {@code i}. */
    private int symbolEnd(int i) {
        while (i < end && in[i] >= 0 && (CLASSES[in[i]] & SYMBOL_PART) != 0) {
            i++;
        }
        return i;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static boolean isWhiteSpace(byte b) {
        return b >= 0 && (CLASSES[b] & WHITE_SPACE) != 0;
    }

    private MalformedMessageException error(int at, String detail) {
        return MalformedMessageException.parseError(at - start, detail);
    }

    /** {@code 'x'} for a printable ASCII byte, {@code byte 0x0a} for any other. */
    private static String describe(byte b) {
        return b > ' ' && b < 0x7f ? "'" + (char) b + "'" : String.format("byte 0x%02x", b & 0xff);
    }

    /** The bytes from {@code from} to {@code to} in quotes for an error detail, printable ASCII only, cut at 32. */
    private String quote(int from, int to) {
        StringBuilder text = new StringBuilder("'");
        for (int i = from; i < to && i < from + 32; i++) {
            byte b = in[i];
            if (b >= ' ' && b < 0x7f) {
                text.append((char) b);
            } else {
                text.append(String.format("\\x%02x", b & 0xff));
            }
        }
        return text.append(to - from > 32 ? "...'" : "'").toString();
    }
}
