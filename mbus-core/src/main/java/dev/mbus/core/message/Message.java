package dev.mbus.core.message;

import java.util.List;
import java.util.Objects;

/**
 * One Mbus message (protocol §2): the header fields and zero or more commands. A message
 * with no command and a non-empty ack list is a bare acknowledgement.
 *
 * @param sequence    the sender's sequence number, 0 to 2^32-1
 * @param timestamp   milliseconds since the epoch when the message was composed
 * @param reliable    whether the receiver must acknowledge it (type {@code R})
 * @param source      the sender's own address
 * @param destination the entities it is addressed to
 * @param acks        sequence numbers of the destination's reliable messages acknowledged here
 * @param commands    the commands, in order
 */
public record Message(long sequence, long timestamp, boolean reliable, Address source, Address destination,
        List<Long> acks, List<Command> commands) {

    /** The largest sequence number the wire allows. */
    public static final long MAX_SEQUENCE = 0xFFFF_FFFFL;

    public Message {
        requireSequence(sequence, "sequence number");
        if (timestamp < 0) {
            throw new IllegalArgumentException("timestamp must not be negative: " + timestamp);
        }
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        acks = List.copyOf(acks);
        for (Long ack : acks) {
            requireSequence(ack, "acknowledged sequence number");
        }
        commands = List.copyOf(commands);
    }

    private static void requireSequence(long value, String what) {
        if (value < 0 || value > MAX_SEQUENCE) {
            throw new IllegalArgumentException(what + " out of range 0.." + MAX_SEQUENCE + ": " + value);
        }
    }

    /** Whether this message only carries acknowledgements. */
    public boolean isBareAck() {
        return commands.isEmpty() && !acks.isEmpty();
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("mbus/1.0 ").append(sequence).append(' ').append(timestamp)
                .append(reliable ? " R " : " U ").append(source).append(' ').append(destination).append(" (");
        for (int i = 0; i < acks.size(); i++) {
            text.append(i == 0 ? "" : " ").append(acks.get(i));
        }
        text.append(')');
        for (Command command : commands) {
            text.append('\n').append(command);
        }
        return text.toString();
    }
}
