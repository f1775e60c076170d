package dev.mbus.core.codec;

import dev.mbus.core.message.Command;
import java.util.List;

/**
 * The wire text of the commands of one send, written once: a sender measures a send by it
 * (does it fit the batch?) and then makes the message of it, rather than writing every command a
 * second time. Made by {@link MessageCodec#write}; immutable.
 */
public final class CommandText {

    private final MessageWriter text;

    CommandText(MessageWriter text) {
        this.text = text;
    }

    /** Bytes the commands take in a message's text. */
    public int length() {
        return text.length();
    }

    void writeTo(MessageWriter message) {
        message.append(text);
    }

    static CommandText of(List<Command> commands, int maxListDepth) {
        // Room for a few typical commands; many tiny ones, or a large one, grow the buffer instead.
        MessageWriter writer = new MessageWriter(Math.min(64 + 256 * commands.size(), 4096), maxListDepth, false);
        for (Command command : commands) {
            writer.command(command);
        }
        return new CommandText(writer);
    }
}
