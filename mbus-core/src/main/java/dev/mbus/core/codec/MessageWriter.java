package dev.mbus.core.codec;

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
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Writes the canonical text of a message or value into a growable byte buffer: single spaces,
 * LF line ends, plain numbers, {@link Double#toString} floats, strings with only {@code "} and
 * {@code \} escaped and everything else as raw UTF-8. A newline inside a string is written raw in
 * the wire form (the UCL tools read {@code \n} as an 'n', a raw one as a newline) and as
 * {@code \n} in the text for people, which so keeps one line per command. One instance per output.
 */
final class MessageWriter {

    private static final byte[] HEADER = {'m', 'b', 'u', 's', '/', '1', '.', '0', ' '};
    private static final byte[] MIN_LONG = Long.toString(Long.MIN_VALUE).getBytes(UTF_8);

    private final int maxListDepth;
    private final boolean escapeNewlines;
    /** Where the header's addresses are written once each, or null to write them every time. */
    private final AddressTexts addressTexts;
    private byte[] buffer;
    private int length;

    /** @param escapeNewlines whether a newline in a string is written {@code \n} (text for people) or raw (the wire) */
    MessageWriter(int capacity, int maxListDepth, boolean escapeNewlines) {
        this(capacity, maxListDepth, escapeNewlines, null);
    }

    MessageWriter(int capacity, int maxListDepth, boolean escapeNewlines, AddressTexts addressTexts) {
        this.buffer = new byte[capacity];
        this.maxListDepth = maxListDepth;
        this.escapeNewlines = escapeNewlines;
        this.addressTexts = addressTexts;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buffer, length);
    }

    @Override
    public String toString() {
        return new String(buffer, 0, length, UTF_8);
    }

    void message(Message message) {
        header(message);
        for (Command command : message.commands()) {
            command(command);
        }
    }

    /** The header of {@code message}, then the commands as {@code texts} already hold them. */
    void message(Message message, List<CommandText> texts) {
        header(message);
        for (CommandText text : texts) {
            text.writeTo(this);
        }
    }

    private void header(Message message) {
        write(HEADER);
        writeLong(message.sequence());
        write(' ');
        writeLong(message.timestamp());
        write(' ');
        write(message.reliable() ? 'R' : 'U');
        write(' ');
        headerAddress(message.source());
        write(' ');
        headerAddress(message.destination());
        write(' ');
        write('(');
        List<Long> acks = message.acks();
        for (int i = 0; i < acks.size(); i++) {
            if (i > 0) {
                write(' ');
            }
            writeLong(acks.get(i));
        }
        write(')');
        write('\n');
    }

    /** What {@code other} has written, after what this has. */
    void append(MessageWriter other) {
        ensure(other.length);
        System.arraycopy(other.buffer, 0, buffer, length, other.length);
        length += other.length;
    }

    int length() {
        return length;
    }

    private void headerAddress(Address address) {
        if (addressTexts == null) {
            address(address);
        } else {
            write(addressTexts.textOf(address, MessageWriter::addressText));
        }
    }

    private static byte[] addressText(Address address) {
        MessageWriter writer = new MessageWriter(64, 0, false);
        writer.address(address);
        return writer.toByteArray();
    }

    void address(Address address) {
        write('(');
        List<String> elements = address.elements();
        for (int i = 0; i < elements.size(); i++) {
            if (i > 0) {
                write(' ');
            }
            text(elements.get(i), false);
        }
        write(')');
    }

    void command(Command command) {
        text(command.name(), false);
        write(' ');
        list(command.args(), 0);
        write('\n');
    }

    /** A list at nesting {@code depth}; the argument list itself is depth 0. */
    private void list(List<MbusValue> elements, int depth) {
        if (depth > maxListDepth) {
            throw new IllegalArgumentException("list nesting deeper than " + maxListDepth);
        }
        write('(');
        for (int i = 0; i < elements.size(); i++) {
            if (i > 0) {
                write(' ');
            }
            value(elements.get(i), depth);
        }
        write(')');
    }

    /** A value inside a list at {@code depth}. */
    void value(MbusValue value, int depth) {
        if (value instanceof IntegerValue integer) {
            writeLong(integer.value());
        } else if (value instanceof StringValue string) {
            write('"');
            text(string.value(), true);
            write('"');
        } else if (value instanceof SymbolValue symbol) {
            text(symbol.name(), false);
        } else if (value instanceof ListValue list) {
            list(list.elements(), depth + 1);
        } else if (value instanceof FloatValue number) {
            // Always has a '.' (and maybe an exponent): reads back as a float, exactly, here and in strtod.
            text(Double.toString(number.value()), false);
        } else if (value instanceof DataValue data) {
            write('<');
            write(Base64.getEncoder().encode(data.bytes()));
            write('>');
        } else {
            throw new IllegalArgumentException("unknown value type: " + value);
        }
    }

    /** Text as UTF-8; with {@code escape}, '"' and '\' are written {@code \" \\}, and LF {@code \n} if so chosen. */
    private void text(String text, boolean escape) {
        int n = text.length();
        ensure(3 * n); // worst case per char: 3 bytes of UTF-8 (a surrogate pair gives 4 for 2 chars)
        byte[] out = buffer;
        int at = length;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                if (escape && (c == '"' || c == '\\' || (c == '\n' && escapeNewlines))) {
                    out[at++] = '\\';
                    c = c == '\n' ? 'n' : c;
                }
                out[at++] = (byte) c;
            } else if (c < 0x800) {
                out[at++] = (byte) (0xc0 | c >> 6);
                out[at++] = (byte) (0x80 | c & 0x3f);
            } else if (!Character.isSurrogate(c)) {
                out[at++] = (byte) (0xe0 | c >> 12);
                out[at++] = (byte) (0x80 | c >> 6 & 0x3f);
                out[at++] = (byte) (0x80 | c & 0x3f);
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                int codePoint = Character.toCodePoint(c, text.charAt(++i));
                out[at++] = (byte) (0xf0 | codePoint >> 18);
                out[at++] = (byte) (0x80 | codePoint >> 12 & 0x3f);
                out[at++] = (byte) (0x80 | codePoint >> 6 & 0x3f);
                out[at++] = (byte) (0x80 | codePoint & 0x3f);
            } else {
                throw new IllegalArgumentException("text has an unpaired surrogate at index " + i
                        + ", which UTF-8 cannot carry");
            }
        }
        length = at;
    }

    private void writeLong(long value) {
        if (value == Long.MIN_VALUE) {
            write(MIN_LONG);
            return;
        }
        ensure(20);
        if (value < 0) {
            buffer[length++] = '-';
            value = -value;
        }
        int digits = 1;
        for (long rest = value / 10; rest != 0; rest /= 10) {
            digits++;
        }
        int at = length + digits;
        length = at;
        do {
            buffer[--at] = (byte) ('0' + value % 10);
            value /= 10;
        } while (value != 0);
    }

    private void write(int b) {
        ensure(1);
        buffer[length++] = (byte) b;
    }

    private void write(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buffer, length, bytes.length);
        length += bytes.length;
    }

    private void ensure(int more) {
        if (buffer.length - length < more) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
        }
    }
}
