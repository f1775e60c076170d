package dev.mbus.sample.bridge;

import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import java.util.Objects;

/**
 * One Mbus command on its way between two buses, as a Kafka record carries it.
 *
 * @param origin      the id of the bridge that took it from its bus ({@code bridge.id})
 * @param messageId   unique per origin: what the receiving bridges recognise a second copy by
 * @param source      the entity that sent it on the origin's bus
 * @param destination the address it was sent to
 * @param reliable    whether it was sent reliably, and so is to be sent reliably again
 * @param command     the command itself
 */
public record BridgedCommand(String origin, String messageId, Address source, Address destination, boolean reliable,
        Command command) {

    public BridgedCommand {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(command, "command");
    }

    /** The protocol's own commands, {@code mbus.hello}, {@code mbus.quit}, ...: they concern one bus only. */
    public boolean isAwareness() {
        return command.name().startsWith("mbus.");
    }
}
