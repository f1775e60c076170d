package dev.mbus.core.engine;

import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import dev.mbus.core.message.Message;
import dev.mbus.core.message.MbusValue;
import java.net.InetSocketAddress;

/**
 * A command as a handler sees it: the command, the whole message it came in, and the endpoint
 * the datagram really came from.
 *
 * @param command the command
 * @param message the message that carried it (source, destination, sequence number, ...)
 * @param sender  the IP and port of the datagram; replies go to the source address, never to
 *                anything named in a message body
 */
public record IncomingCommand(Command command, Message message, InetSocketAddress sender) {

    public Address source() {
        return message.source();
    }

    public String name() {
        return command.name();
    }

    public MbusValue arg(int index) {
        return command.arg(index);
    }
}
