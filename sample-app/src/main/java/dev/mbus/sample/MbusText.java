package dev.mbus.sample;

import dev.mbus.core.codec.MessageCodec;
import dev.mbus.core.message.Command;
import java.net.InetSocketAddress;
import java.util.stream.Collectors;

/** Text for logs and the page: commands as written on the wire, {@code player.load (("Blue in Green" 337.5))}. */
public final class MbusText {

    private MbusText() {
    }

    public static String of(Command command) {
        return command.args().stream().map(MessageCodec::formatValue)
                .collect(Collectors.joining(" ", command.name() + " (", ")"));
    }

    /** {@code 127.0.0.1:47000}, {@code [::1]:47000}. */
    public static String of(InetSocketAddress endpoint) {
        if (endpoint == null) {
            return "";
        }
        String host = endpoint.getAddress() == null ? endpoint.getHostString() : endpoint.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + endpoint.getPort();
    }
}
