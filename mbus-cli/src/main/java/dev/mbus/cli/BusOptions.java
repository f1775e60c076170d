package dev.mbus.cli;

import dev.mbus.core.config.MbusConfig;
import dev.mbus.core.engine.EntityConfig;
import dev.mbus.core.engine.MbusEntity;
import dev.mbus.core.message.Address;
import dev.mbus.core.transport.Scope;
import dev.mbus.core.transport.TransportSettings;
import java.net.InetAddress;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/**
 * Where and as whom a subcommand joins the bus: {@code --group}, {@code --port},
 * {@code --interface}, {@code --scope}, {@code --ipv6}, {@code --address}; and which messages
 * it takes: {@code --freshness}. Used as a mixin together with {@link ConfigOptions}: the
 * configuration file gives the keys, scope, group and port, and these options override the file.
 */
public final class BusOptions {

    /** Exit code of a bus subcommand whose message was not delivered or that nobody answered. */
    public static final int EXIT_NOT_DELIVERED = 3;

    /** The address of the tool's entity when {@code --address} is not given; an {@code id} is added. */
    static final String DEFAULT_ADDRESS = "(app:mbus-cli)";

    /** Longest duration an option takes, in seconds (about 31 years). */
    private static final long MAX_SECONDS = 1_000_000_000L;

    /** A number, then optionally a unit: {@code 500ms}, {@code 1.5s}, {@code 2m}, {@code 10}. */
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ms|s|m)?");

    @Option(names = "--group", paramLabel = "IP",
            description = "Multicast group of the bus (default: the configuration file's, else 224.255.222.239).")
    private String group;

    @Option(names = "--port", paramLabel = "PORT",
            description = "UDP port of the bus (default: the configuration file's, else 47000).")
    private Integer port;

    @Option(names = "--interface", paramLabel = "NAME|IP",
            description = "Network interface to join and send on, by name or address (default: loopback).")
    private String networkInterface;

    @Option(names = "--scope", paramLabel = "SCOPE",
            description = "HOSTLOCAL (TTL 0, this host only) or LINKLOCAL (TTL 1) (default: the configuration file's, "
                    + "else HOSTLOCAL).")
    private String scope;

    @Option(names = "--ipv6", description = "Use IPv6 (group FF01::300 or FF02::300 by scope, unless --group).")
    private boolean ipv6;

    @Option(names = "--address", paramLabel = "ADDRESS",
            description = "This entity's address, e.g. \"(app:cli module:test)\" (default: " + DEFAULT_ADDRESS
                    + "); an id element is added when there is none.")
    private String address;

    @Option(names = "--freshness", paramLabel = "DURATION",
            description = "How far a message's timestamp may lie from this host's clock, either way, for the message "
                    + "to be taken, e.g. 500ms, 30s, 2m; a bare number is seconds (default: 10s). Raise it when "
                    + "another host's clock is off.")
    private String freshness;

    @Option(names = "--unicast", negatable = true,
            description = "Whether a message for the only entity known may go straight to its endpoint, when that "
                    + "entity is one of this library's (default: yes). --no-unicast sends everything to the group, so "
                    + "that a sniffer (listen --all) sees it.")
    private Boolean unicast;

    /** The entity's address from {@code --address} or the default, without the id the engine adds. */
    public Address address() {
        String text = address != null ? address : DEFAULT_ADDRESS;
        try {
            return Address.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CliException("bad --address '" + text + "': " + e.getMessage());
        }
    }

    /**
     * The transport settings: the file's scope, group and port, overridden by the options.
     *
     * @throws CliException when they do not fit together (a bad group, port or family)
     */
    public TransportSettings transportSettings(MbusConfig file) {
        try {
            TransportSettings settings = TransportSettings.defaults().withIpv6(ipv6)
                    .withScope(scope != null ? Scope.parse(scope) : file.scope())
                    .withPort(port != null ? port : file.port());
            String chosenGroup = group != null ? group
                    // The file's IPv4 default group must not override the IPv6 default (as EntityConfig does).
                    : file.group().equals(MbusConfig.DEFAULT_GROUP) ? null : file.group();
            settings = settings.withGroup(chosenGroup).withNetworkInterface(networkInterface);
            return unicast == null ? settings : settings.withUnicast(unicast);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
    }

    /** An entity configuration from the file and these options; {@code customize} may add to it. */
    public EntityConfig entityConfig(MbusConfig file, UnaryOperator<EntityConfig.Builder> customize) {
        EntityConfig.Builder builder = EntityConfig.builder()
                .address(address())
                .keys(file.keys())
                .transportSettings(transportSettings(file));
        if (freshness != null) {
            Duration window = duration(freshness, "--freshness");
            if (window.isZero()) {
                throw new CliException("--freshness must be more than 0");
            }
            builder.freshness(window);
        }
        return customize.apply(builder).build();
    }

    /**
     * Creates an entity from the file and these options, lets {@code setUp} put its handlers in
     * place, and only then joins the bus: nothing can reach the entity, and it acknowledges
     * nothing, before its handlers are there.
     *
     * @throws CliException when the interface cannot be used
     */
    public MbusEntity join(MbusConfig file, UnaryOperator<EntityConfig.Builder> customize, Consumer<MbusEntity> setUp) {
        EntityConfig config = entityConfig(file, customize);
        MbusEntity entity;
        try {
            entity = MbusEntity.create(config);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        try {
            setUp.accept(entity);
            entity.start();
            return entity;
        } catch (RuntimeException e) {
            entity.close(); // releases the sockets it opened
            throw e;
        }
    }

    /** Joins the bus as {@link #join} does, for a command that handles no command itself. */
    public MbusEntity join(MbusConfig file, UnaryOperator<EntityConfig.Builder> customize) {
        return join(file, customize, entity -> { });
    }

    /**
     * {@code seconds} of an option as a duration.
     *
     * @throws CliException when it is negative or not a number
     */
    static Duration duration(double seconds, String option) {
        if (!(seconds >= 0) || Double.isInfinite(seconds) || seconds > MAX_SECONDS) {
            throw new CliException(option + " must be a number of seconds, at least 0: " + seconds);
        }
        return Duration.ofNanos((long) (seconds * 1e9));
    }

    /**
     * An option's duration with a unit, {@code 500ms}, {@code 10s}, {@code 2m}, or a bare number of
     * seconds as the other options take them.
     *
     * @throws CliException when it is not such a duration, or longer than {@link #MAX_SECONDS}
     */
    static Duration duration(String text, String option) {
        Matcher matcher = DURATION.matcher(text.strip());
        if (!matcher.matches()) {
            throw new CliException(option + " must be a duration such as 500ms, 10s or 2m: " + text);
        }
        BigDecimal seconds = new BigDecimal(matcher.group(1));
        String unit = matcher.group(2) == null ? "s" : matcher.group(2);
        seconds = switch (unit) {
            case "ms" -> seconds.movePointLeft(3);
            case "m" -> seconds.multiply(BigDecimal.valueOf(60));
            default -> seconds;
        };
        if (seconds.compareTo(BigDecimal.valueOf(MAX_SECONDS)) > 0) {
            throw new CliException(option + " must be at most " + MAX_SECONDS + " s: " + text);
        }
        return Duration.ofNanos(seconds.movePointRight(9).longValue());
    }

    /** {@code duration} in seconds for messages: {@code 3 s}, {@code 0.5 s}. */
    static String seconds(Duration duration) {
        return java.math.BigDecimal.valueOf(duration.toNanos(), 9).stripTrailingZeros().toPlainString() + " s";
    }

    /** Sleeps for {@code duration}; returns early, with the flag set, when interrupted. */
    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis(), (int) (duration.toNanos() % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code ip:port}, with brackets around an IPv6 address. */
    public static String format(InetSocketAddress endpoint) {
        if (endpoint == null) {
            return "";
        }
        InetAddress ip = endpoint.getAddress();
        String host = ip == null ? endpoint.getHostString() : ip.getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + endpoint.getPort();
    }
}
