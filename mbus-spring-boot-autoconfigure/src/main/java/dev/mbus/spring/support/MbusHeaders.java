package dev.mbus.spring.support;

import dev.mbus.core.engine.IncomingCommand;
import dev.mbus.core.message.Message;
import dev.mbus.core.message.MbusValue;
import java.util.List;
import java.util.Map;
import org.springframework.messaging.support.MessageBuilder;

/**
 * Names of the spring-messaging headers a listener method can bind with
 * {@code @Header(MbusHeaders.SOURCE)}. The payload of the message is the command's argument
 * list, a {@code List<MbusValue>}.
 */
public final class MbusHeaders {

    private static final String PREFIX = "mbus_";

    /** The sender's address ({@link dev.mbus.core.message.Address}; binds to {@code String} too). */
    public static final String SOURCE = PREFIX + "source";
    /** The address the message was sent to ({@link dev.mbus.core.message.Address}). */
    public static final String DESTINATION = PREFIX + "destination";
    /** The sender's sequence number of the message ({@code long}). */
    public static final String SEQUENCE = PREFIX + "sequence";
    /** Whether the message was sent reliably ({@code boolean}). */
    public static final String RELIABLE = PREFIX + "reliable";
    /** When the sender composed the message, milliseconds since the epoch ({@code long}). */
    public static final String TIMESTAMP = PREFIX + "timestamp";
    /** The command name ({@code String}); useful with prefix patterns such as {@code tool.rat.*}. */
    public static final String COMMAND = PREFIX + "command";
    /** The IP and port the datagram came from ({@link java.net.InetSocketAddress}). */
    public static final String SENDER = PREFIX + "sender";
    /** The id of the listener invoked ({@code String}). */
    public static final String LISTENER_ID = PREFIX + "listenerId";
    /** The {@link IncomingCommand} itself; bind it by declaring a parameter of that type. */
    public static final String INCOMING_COMMAND = PREFIX + "incomingCommand";

    private MbusHeaders() {
    }

    /** The spring-messaging form of a received command: arguments as payload, the rest as headers. */
    public static org.springframework.messaging.Message<List<MbusValue>> toMessage(IncomingCommand incoming,
            String listenerId) {
        Message message = incoming.message();
        return MessageBuilder.withPayload(incoming.command().args())
                .copyHeaders(Map.of(SOURCE, message.source(), DESTINATION, message.destination(),
                        SEQUENCE, message.sequence(), RELIABLE, message.reliable(), TIMESTAMP, message.timestamp(),
                        COMMAND, incoming.name(), SENDER, incoming.sender(), LISTENER_ID, listenerId,
                        INCOMING_COMMAND, incoming))
                .build();
    }
}
